// The response traffic through a real Session stream (grpc-js over mutual TLS, the
// agent's test manager): Hello carries the pinned key ids, a SignedCommand's result
// arrives, is resent on a new stream until acknowledged, and never after the ack.
import { CommandOutcome, type AgentMessage, type CommandResult } from '@wardwatch/proto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enrollOverLoopback } from '../enrollment/enroll-over-loopback.fixture';
import { createTestPki, type TestPki } from '../enrollment/test-pki.fixture';
import { createMemoryLogger } from '../logging/logger';
import { createSessionClient } from '../transport/grpc-clients';
import { TestManager, until } from '../transport/test-manager.fixture';
import { ResponseChannel } from './response-channel';
import { buildResponseService } from './response-service.fixture';
import { makeCommandKey, payloadOf, signCommand } from './response-test-kit.fixture';
import { testSession } from '../transport/test-session.fixture';

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ResponseChannel over a real Session stream', { timeout: 20_000 }, () => {
  it('SignedCommand → CommandResult → ack → not resent after a reconnect', async () => {
    const manager = new TestManager(pki);
    await manager.listen();
    cleanups.push(() => manager.stop());
    const address = `127.0.0.1:${manager.port}`;
    const key = makeCommandKey();
    manager.commandKeys = [key.commandKey];
    const response = buildResponseService({ key });
    cleanups.push(() => response.service.stop());
    const identity = await enrollOverLoopback({
      port: manager.port,
      caPem: pki.caPem,
      token: 'wwet_good',
      hostname: 'ws12',
      pinCommandKeys: (keys) => response.keys.pinAtEnrollment(keys),
    });
    expect(response.keys.ids()).toEqual([key.commandKey.keyId]);

    const logger = createMemoryLogger();
    const channel = new ResponseChannel(response.service, logger);
    const session = testSession({
      managerAddress: address,
      createClient: () => createSessionClient(address, identity),
      logger,
      channels: [channel],
    });
    session.start();
    cleanups.push(() => session.stop(0));

    const hellos = () => manager.received.filter((m) => m.body?.$case === 'hello');
    const results = (): CommandResult[] =>
      manager.received.flatMap((m: AgentMessage) => (m.body?.$case === 'commandResult' ? [m.body.value] : []));
    await until(() => session.isConnected, 'the session');
    expect(hellos()[0]?.body).toMatchObject({ value: { commandKeyIds: [key.commandKey.keyId] } });

    const payload = payloadOf({ automatic: false, action: { $case: 'collectDiagnostics', value: {} } });
    manager.streams[0]?.write({ body: { $case: 'signedCommand', value: signCommand(key, payload) } });
    await until(() => results().length === 1, 'the command result');
    expect(results()[0]).toMatchObject({ commandId: payload.commandId, ok: true, message: 'diagnostics collected' });
    expect(JSON.parse(results()[0]?.detailsJson ?? '{}')).toEqual({ processes: 3 });

    // Not acknowledged: a new stream carries it again.
    manager.streams[0]?.end(); // the manager ends the stream: the agent reconnects
    await until(() => manager.streams.length === 2 && results().length === 2, 'the resend on the new stream');
    expect(results()[1]?.commandId).toBe(payload.commandId);

    manager.streams[1]?.write({
      body: {
        $case: 'commandResultAck',
        value: { commandId: payload.commandId, outcome: CommandOutcome.COMMAND_OUTCOME_DONE },
      },
    });
    await until(() => response.logger.lines.some((l) => l.msg === 'command result acknowledged'), 'the ack handled');
    manager.streams[1]?.end();
    await until(() => manager.streams.length === 3 && hellos().length === 3, 'the third stream');
    await until(() => session.isConnected, 'the session again');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(results()).toHaveLength(2);
    expect(response.actions.calls).toHaveLength(1);
  });
});
