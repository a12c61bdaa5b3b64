// Delivery of response commands across a cut link, with the real parts in one process: the
// manager (SQLite, gRPC over mutual TLS) and the agent's enrollment, session and response
// service (journal on disk, recording actions), joined through a loopback proxy that cuts
// the link. A command lost with its stream is sent again after the next Hello and runs once;
// one whose result was lost is sent again, is not run twice, and its kept result is stored
// once; a warning is acknowledged as a warning and the final result after it still lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../agent/src/logging/logger';
import { CommandKeyStore } from '../../agent/src/response/command-keys/command-key-store';
import { ResponseChannel } from '../../agent/src/response/response-channel';
import { buildResponseService, pseudonym } from '../../agent/src/response/response-service.fixture';
import { tempDataDir } from '../../agent/src/response/response-test-kit.fixture';
import { createSessionClient } from '../../agent/src/transport/grpc-clients';
import type { ManagerSession } from '../../agent/src/transport/manager-session';
import { AgentSessionsRegistry } from '../../manager/src/agents/agent-sessions.registry';
import { AuditService } from '../../manager/src/audit/audit.service';
import { AgentResponseStateRepository } from '../../manager/src/commands/agent-response-state.repository';
import {
  COMMAND_ISSUER,
  type CommandIssuer,
  type IssueCommandRequest,
} from '../../manager/src/commands/command-issuer';
import { CommandsService } from '../../manager/src/commands/commands.service';
import { startTestManager, type TestManager } from '../../manager/src/testing/test-manager.fixture';
import { enrollInProcess, testSession } from '../support/in-process-agent';
import { LinkProxy } from '../support/link-proxy';

describe('response commands across a cut link (real manager, real agent code)', { timeout: 60_000 }, () => {
  let manager: TestManager;
  let proxy: LinkProxy;
  let agentId = '';
  let response: ReturnType<typeof buildResponseService>;
  let session: ManagerSession;
  let issuer: CommandIssuer;
  let commands: CommandsService;

  beforeAll(async () => {
    manager = await startTestManager({ env: { WARDWATCH_COMMAND_EXPIRY_CHECK_SECONDS: '3600' } });
    proxy = await LinkProxy.start({ host: '127.0.0.1', port: manager.grpcPort });
    issuer = manager.app.get<CommandIssuer>(COMMAND_ISSUER);
    commands = manager.app.get(CommandsService);
    const dir = tempDataDir();
    const identity = await enrollInProcess(manager, new CommandKeyStore(dir));
    agentId = identity.agentId;
    response = buildResponseService({ dir, agentId });
    await response.service.start();
    const logger = createMemoryLogger();
    const viaProxy = `127.0.0.1:${proxy.port}`;
    session = testSession({
      managerAddress: viaProxy,
      createClient: () => createSessionClient(viaProxy, identity),
      commandKeyIds: [],
      logger,
      channels: [new ResponseChannel(response.service, logger)],
    });
    session.start();
  }, 60_000);
  afterAll(async () => {
    await session?.stop(0);
    response?.service.stop();
    await proxy?.close();
    await manager?.stop();
  });

  /** The manager holds a live stream of the agent and has read its Hello (its pinned keys). */
  const helloSeen = async () => {
    const sessions = manager.app.get(AgentSessionsRegistry);
    const states = manager.app.get(AgentResponseStateRepository);
    await expect.poll(() => sessions.count(agentId), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await states.find(agentId))?.keyIds.length ?? 0, { timeout: 10_000 }).toBe(1);
  };
  const request = (over: Partial<IssueCommandRequest> = {}): IssueCommandRequest => ({
    agentId,
    action: { $case: 'collectDiagnostics', value: {} },
    reason: 'Unusual activity on this workstation.',
    warningSeconds: 0,
    automatic: false,
    dryRun: false,
    expiresInSeconds: 600,
    decision: { source: 'user', actorId: 'it-1' },
    ...over,
  });
  const stateOf = async (id: string) => (await commands.get(id)).state;
  const auditedResults = async (id: string) =>
    (await manager.app.get(AuditService).list(1_000)).filter(
      (r) => r.action === 'command.result' && r.details.commandId === id,
    );

  it('a command written to a stream that is cut at once runs once after the reconnect, its result stored', async () => {
    await helloSeen();
    proxy.cutLink();
    const issued = await issuer.issue(request());
    // Written down the manager's stream; the proxy holds the bytes, then the reset loses them.
    expect(issued.state).toBe('sent');
    proxy.resetLinks();
    expect(response.actions.calls).toEqual([]);

    await expect.poll(() => stateOf(issued.commandId), { timeout: 15_000 }).toBe('done');
    expect(response.actions.calls).toEqual([{ action: 'collectDiagnostics', dryRun: false }]);
    expect((await commands.get(issued.commandId)).result?.message).toBe('diagnostics collected');
    expect(await auditedResults(issued.commandId)).toHaveLength(1);
    await expect
      .poll(() => response.logger.lines.some((l) => l.msg === 'command result acknowledged'), { timeout: 5_000 })
      .toBe(true);
  });

  it('a command whose result was lost is sent again: not run twice, its kept result stored once', async () => {
    await helloSeen();
    const before = response.actions.calls.length;
    // The link is cut while the action runs: the command arrived, its result cannot leave.
    const collect = response.actions.collectDiagnostics.bind(response.actions);
    response.actions.collectDiagnostics = (options) => {
      proxy.cutLink();
      return collect(options);
    };
    const issued = await issuer.issue(request());
    expect(issued.state).toBe('sent');
    await expect.poll(() => response.actions.calls.length, { timeout: 5_000 }).toBe(before + 1);
    response.actions.collectDiagnostics = collect;
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.resetLinks();

    await expect.poll(() => stateOf(issued.commandId), { timeout: 15_000 }).toBe('done');
    // The manager sent it again after the Hello; the agent answered with its journalled result.
    await expect
      .poll(
        () => response.logger.lines.some((l) => l.msg === 'command repeated: its result sent again, not run again'),
        {
          timeout: 5_000,
        },
      )
      .toBe(true);
    expect(response.actions.calls).toHaveLength(before + 1);
    expect(await auditedResults(issued.commandId)).toHaveLength(1);
  });

  it('a warning is acknowledged as a warning; the final result after it is still stored', async () => {
    await helloSeen();
    const issued = await issuer.issue(
      request({
        action: { $case: 'lockScreen', value: { user: pseudonym('nurse1'), sessionId: '' } },
        warningSeconds: 1,
      }),
    );
    await expect.poll(() => stateOf(issued.commandId), { timeout: 10_000 }).toBe('done');
    await expect
      .poll(
        () =>
          response.logger.lines
            .filter((l) => l.msg === 'command result acknowledged' && l.commandId === issued.commandId)
            .map((l) => l.outcome),
        { timeout: 5_000 },
      )
      .toEqual(['warning', 'done']);
    expect(response.notifier.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/locked in 1 s/)]);
    expect((await auditedResults(issued.commandId)).map((r) => r.details.outcome).reverse()).toEqual([
      'warning',
      'done',
    ]);
  });
});
