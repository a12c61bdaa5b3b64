// A compromised workstation: it holds a real agent's key and certificate and
// sends whatever it likes over the real mutual-TLS session. The end-to-end tests
// use it to prove that hostile strings stay text all the way to the browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { AgentServiceClient, type AgentMessage, type ManagerMessage } from '@wardwatch/proto';

export interface RogueSession {
  send(message: AgentMessage): void;
  /** Resolves with the first acknowledgement of `sequence`. */
  acked(sequence: number, timeoutMs: number): Promise<void>;
  close(): void;
}

export function openRogueSession(managerAddress: string, agentDataDir: string): RogueSession {
  const read = (file: string) => readFileSync(join(agentDataDir, file));
  const client = new AgentServiceClient(
    managerAddress,
    credentials.createSsl(read('ca-cert.pem'), read('agent-key.pem'), read('agent-cert.pem')),
  );
  const call = client.session();
  const acks = new Set<number>();
  let failure: Error | undefined;
  call.on('data', (message: ManagerMessage) => {
    if (message.body?.$case === 'ack') acks.add(message.body.value.sequence);
  });
  call.on('error', (error: Error) => (failure = error));
  return {
    send: (message) => call.write(message),
    acked: async (sequence, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!acks.has(sequence)) {
        if (failure) throw new Error(`the manager ended the session: ${failure.message}`);
        if (Date.now() > deadline) throw new Error(`batch ${sequence} was not acknowledged within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => {
      call.end();
      client.close();
    },
  };
}
