// The only public face of the generated contract: import from '@wardwatch/proto'.
export * from './gen/wardwatch/agent/v1/agent';
