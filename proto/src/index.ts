// The only public face of the generated contract: import from '@wardwatch/proto'.
export * from './gen/wardwatch/agent/v1/agent';
// The wire reader and writer the generated code uses, for code that handles encoded
// messages field by field (the agent's outbox keeps events as their encoded fields).
export { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
