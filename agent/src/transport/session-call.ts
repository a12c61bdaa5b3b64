// The session's stream, opened with a serializer that also takes a message already encoded:
// a batch of events goes out as the bytes the outbox sealed (outbox/encoded-events.ts),
// never decoded into objects and encoded again.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { AgentServiceService, type AgentMessage, type AgentServiceClient, type ManagerMessage } from '@wardwatch/proto';
import { messageField } from '../outbox/encoded-events';

/** AgentMessage.events' field number (agent.proto); session-call.test.ts checks it against the generated code. */
const EVENTS_FIELD = 2;

/** An AgentMessage already encoded. */
export class EncodedAgentMessage {
  private constructor(readonly bytes: Uint8Array) {}

  /** The AgentMessage carrying an encoded EventBatch. */
  static events(batch: Uint8Array): EncodedAgentMessage {
    return new EncodedAgentMessage(messageField(EVENTS_FIELD, batch));
  }
}

export type OutgoingMessage = AgentMessage | EncodedAgentMessage;
export type SessionCall = ClientDuplexStream<OutgoingMessage, ManagerMessage>;

const { path, requestSerialize, responseDeserialize } = AgentServiceService.session;

/** What goes on the wire for an outgoing message. */
export function serializeOutgoing(message: OutgoingMessage): Buffer {
  if (!(message instanceof EncodedAgentMessage)) return requestSerialize(message);
  const { bytes } = message;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Opens the Session stream on `client`. */
export function openSessionCall(client: AgentServiceClient): SessionCall {
  return client.makeBidiStreamRequest(path, serializeOutgoing, responseDeserialize);
}
