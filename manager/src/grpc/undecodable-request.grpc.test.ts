// Enroll and Renew with bytes that are not their protobuf message get INVALID_ARGUMENT
// with a clear message. Found by the gRPC fuzz (agent-port-fuzz.property.test.ts): grpc-js
// answered them INTERNAL "Error deserializing request", as if the manager had failed.
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { RawAgentClient } from '../testing/raw-grpc.fixture';
import { caPemOf, enrollTestAgent } from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { managerForTests } from '../testing/test-manager.fixture';

const sqlite = testEngines.filter((engine) => engine.name === 'sqlite');

describe.each(sqlite)('unary requests that do not decode, on $name', (engine) => {
  const running = managerForTests(engine);

  it.each([
    { what: 'a wire type protobuf does not have', bytes: [0x0f] },
    { what: 'a length past the end', bytes: [0x0a, 0x7f, 0x41] },
    { what: 'a varint that never ends', bytes: [0x08, 0xff, 0xff, 0xff] },
  ])('are refused as INVALID_ARGUMENT: $what', async ({ bytes }) => {
    const agent = await enrollTestAgent(running.manager);
    const tls = { caPem: caPemOf(running.manager), keyPem: agent.privateKeyPem, certPem: agent.certificatePem };
    const client = new RawAgentClient(running.manager.grpcPort, tls);
    try {
      for (const method of ['enroll', 'renew'] as const)
        expect(await client.unary(method, Buffer.from(bytes))).toMatchObject({
          code: status.INVALID_ARGUMENT,
          details: 'the request is not a valid protobuf message',
        });
      // A request that decodes still reaches the handler.
      expect((await client.unary('enroll', Buffer.alloc(0))).code).toBe(status.UNAUTHENTICATED);
    } finally {
      client.close();
      agent.close();
    }
  });
});
