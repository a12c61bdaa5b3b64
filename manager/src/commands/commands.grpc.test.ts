// Commands over the real gRPC port (TLS, the real database): a command issued while the
// agent is offline is delivered after its Hello, signed by the key it pinned at enrollment
// (checked here with node:crypto); its result is stored once, acknowledged and audited;
// an expired command is never sent; one written to a stream that died is sent again
// after the next Hello until its result is stored; warnings are acknowledged with their
// outcome; a hostile agent's results are ignored or cut; a key rotation reaches the agent
// signed by the old key, and later commands use the new one.
// Issues, results and refusals are counted on /metrics (scraped over HTTP).
import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  CommandOutcome,
  CommandPayload,
  type AgentMessage,
  type CommandKey,
  type ManagerMessage,
} from '@wardwatch/proto';
import { parseMaintenanceCode } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AuditService } from '../audit/audit.service';
import { enrollTestAgent, hello, type TestAgent } from '../testing/test-agent.fixture';
import { startTestManager, TEST_ADMIN_PASSWORD, type TestManager } from '../testing/test-manager.fixture';
import { AgentReportsService } from './agent-reports.service';
import { COMMAND_ISSUER, type CommandIssuer, type IssueCommandRequest } from './command-issuer';
import { CommandExpiryJob } from './command-expiry.job';
import { CommandsService } from './commands.service';

type Signed = Extract<ManagerMessage['body'], { $case: 'signedCommand' }>['value'];

const signedCommands = (got: ManagerMessage[]): Signed[] =>
  got.flatMap((m) => (m.body?.$case === 'signedCommand' ? [m.body.value] : []));
const resultAcks = (got: ManagerMessage[]): string[] =>
  got.flatMap((m) => (m.body?.$case === 'commandResultAck' ? [m.body.value.commandId] : []));
const ackedOutcomes = (got: ManagerMessage[]): CommandOutcome[] =>
  got.flatMap((m) => (m.body?.$case === 'commandResultAck' ? [m.body.value.outcome] : []));

/** What the agent does: verify with a pinned key (node:crypto), then decode. */
function verified(signed: Signed, pinned: CommandKey[]): CommandPayload {
  const key = pinned.find((k) => k.keyId === signed.keyId);
  if (!key) throw new Error(`not signed by a pinned key: ${signed.keyId}`);
  const publicKey = createPublicKey({ key: Buffer.from(key.publicKey), format: 'der', type: 'spki' });
  if (!verify(null, signed.payload, publicKey, signed.signature)) throw new Error('bad signature');
  return CommandPayload.decode(signed.payload);
}

const result = (
  commandId: string,
  outcome: number,
  extra: Partial<{ message: string; detailsJson: string }> = {},
): AgentMessage => ({
  body: {
    $case: 'commandResult',
    value: {
      commandId,
      ok: outcome === CommandOutcome.COMMAND_OUTCOME_DONE,
      message: extra.message ?? 'done',
      outcome: outcome as CommandOutcome,
      finishedAtMs: Date.now(),
      detailsJson: extra.detailsJson ?? '{"sessions":1}',
    },
  },
});

const lockScreen = (agentId: string, over: Partial<IssueCommandRequest> = {}): IssueCommandRequest => ({
  agentId,
  action: { $case: 'lockScreen', value: { user: 'u_0123456789abcdef', sessionId: '' } },
  reason: 'Unusual activity on this workstation.',
  warningSeconds: 30,
  automatic: true,
  dryRun: false,
  expiresInSeconds: 600,
  decision: { source: 'playbook', playbookId: 'pb-1', playbookVersion: 2, alertId: 'al-1', score: 88 },
  ...over,
});

describe('commands over gRPC', () => {
  let manager: TestManager;
  let agent: TestAgent;
  let other: TestAgent;
  let issuer: CommandIssuer;
  let commands: CommandsService;

  beforeAll(async () => {
    manager = await startTestManager({ env: { WARDWATCH_COMMAND_EXPIRY_CHECK_SECONDS: '3600' } });
    agent = await enrollTestAgent(manager);
    other = await enrollTestAgent(manager, {
      hostname: 'ward4-ws01',
      os: 'linux',
      osVersion: '6.1',
      agentVersion: '0.1.0',
    });
    issuer = manager.app.get<CommandIssuer>(COMMAND_ISSUER);
    commands = manager.app.get(CommandsService);
  });
  afterAll(async () => {
    agent?.close();
    other?.close();
    await manager?.stop();
  });

  /** Ends a stream and waits until the manager has seen it end (a half-closed stream would still take writes). */
  const closed = async (session: { close(): void }) => {
    session.close();
    const sessions = manager.app.get(AgentSessionsRegistry);
    await expect.poll(() => sessions.count(agent.agentId), { timeout: 5_000 }).toBe(0);
  };

  /** Every sample of the manager's /metrics now, by series (`name{labels}`). */
  const scrape = async (): Promise<Map<string, number>> => {
    const text = await (await fetch(`${manager.httpUrl}/metrics`)).text();
    const samples = text.split('\n').filter((l) => l.startsWith('wardwatch_response_'));
    return new Map(samples.map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
  };
  const grown = (before: Map<string, number>, after: Map<string, number>, series: string) =>
    (after.get(series) ?? 0) - (before.get(series) ?? 0);

  const audited = async (action: string) =>
    (await manager.app.get(AuditService).list(1_000)).filter((row) => row.action === action);

  it('pins the command key at enrollment, its id the SHA-256 prefix of the SPKI', () => {
    expect(agent.commandKeys).toHaveLength(1);
    const [key] = agent.commandKeys;
    expect(key.keyId).toBe(createHash('sha256').update(key.publicKey).digest('hex').slice(0, 16));
    expect(other.commandKeys.map((k) => k.keyId)).toEqual([key.keyId]);
  });

  it('queues for an offline agent, never sends an expired one, delivers the rest on Hello, stores the result once', async () => {
    const scraped = await scrape();
    const late = await issuer.issue(lockScreen(agent.agentId, { expiresInSeconds: 1 }));
    const queued = await issuer.issue(lockScreen(agent.agentId));
    expect([late.state, queued.state]).toEqual(['queued', 'queued']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await manager.app.get(CommandExpiryJob).tick();
    expect((await commands.get(late.commandId)).state).toBe('expired');
    expect((await audited('command.expired')).map((r) => r.details.commandId)).toEqual([late.commandId]);

    const session = agent.open();
    session.send(
      hello(
        undefined,
        agent.commandKeys.map((k) => k.keyId),
      ),
    );
    await session.waitFor((got) => signedCommands(got).length >= 1);
    const payloads = signedCommands(session.got).map((s) => verified(s, agent.commandKeys));
    expect(payloads.map((p) => p.commandId)).toEqual([queued.commandId]);
    expect(payloads[0]).toMatchObject({
      agentId: agent.agentId,
      automatic: true,
      warningSeconds: 30,
      action: { $case: 'lockScreen', value: { user: 'u_0123456789abcdef' } },
    });
    expect((await commands.get(queued.commandId)).state).toBe('sent');

    session.send(result(queued.commandId, CommandOutcome.COMMAND_OUTCOME_WARNING, { message: 'warned' }));
    session.send(result(queued.commandId, CommandOutcome.COMMAND_OUTCOME_DONE));
    session.send(result(queued.commandId, CommandOutcome.COMMAND_OUTCOME_FAILED, { message: 'late duplicate' }));
    await session.waitFor((got) => resultAcks(got).length >= 3);
    expect(resultAcks(session.got)).toEqual([queued.commandId, queued.commandId, queued.commandId]);
    // The warning is acknowledged as a warning: the agent keeps its final result until that one's ack.
    expect(ackedOutcomes(session.got)).toEqual([
      CommandOutcome.COMMAND_OUTCOME_WARNING,
      CommandOutcome.COMMAND_OUTCOME_DONE,
      CommandOutcome.COMMAND_OUTCOME_FAILED,
    ]);
    const stored = await commands.get(queued.commandId);
    expect(stored).toMatchObject({
      state: 'done',
      result: { outcome: 'done', message: 'done', details: { sessions: 1 } },
    });
    expect(stored.undoable).toBe(true);
    const issuedAudit = (await audited('command.issued')).find((r) => r.details.commandId === queued.commandId);
    expect(issuedAudit?.details.decision).toMatchObject({ source: 'playbook', playbookId: 'pb-1', score: 88 });
    const results = (await audited('command.result')).filter((r) => r.details.commandId === queued.commandId);
    expect(results.map((r) => r.details.outcome).reverse()).toEqual(['warning', 'done']);
    expect((await manager.app.get(AuditService).verify()).ok).toBe(true);
    const now = await scrape();
    const finished = (outcome: string) =>
      grown(scraped, now, `wardwatch_response_command_results_total{outcome="${outcome}"}`);
    expect([finished('expired'), finished('warning'), finished('done'), finished('failed')]).toEqual([1, 1, 1, 0]);
    await closed(session);
  });

  it('sends a command again after the next Hello when its stream died right after it was written', async () => {
    const keyIds = agent.commandKeys.map((k) => k.keyId);
    const first = agent.open();
    first.send(hello(undefined, keyIds));
    await first.waitFor(() => true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const issued = await issuer.issue(lockScreen(agent.agentId, { automatic: false }));
    expect(issued.state).toBe('sent');
    await first.waitFor((got) => signedCommands(got).length >= 1);
    // The agent's channel goes before it could act or answer: the command is lost with it.
    await closed(first);
    expect((await commands.get(issued.commandId)).state).toBe('sent');

    const second = agent.open();
    second.send(hello(undefined, keyIds));
    await second.waitFor((got) => signedCommands(got).length >= 1);
    const [again] = signedCommands(second.got);
    expect(verified(again, agent.commandKeys).commandId).toBe(issued.commandId);
    // The very same payload bytes: a repeat the agent recognises, and runs at most once.
    expect(Buffer.from(again.payload).equals(Buffer.from(signedCommands(first.got)[0].payload))).toBe(true);
    second.send(result(issued.commandId, CommandOutcome.COMMAND_OUTCOME_WARNING, { message: 'warned' }));
    await second.waitFor((got) => resultAcks(got).length >= 1);
    expect(ackedOutcomes(second.got)).toEqual([CommandOutcome.COMMAND_OUTCOME_WARNING]);
    expect((await commands.get(issued.commandId)).state).toBe('warning');
    await closed(second);

    // A warning proves the agent journalled it: not sent a third time; its final result still lands.
    const third = agent.open();
    third.send(hello(undefined, keyIds));
    await third.waitFor(() => true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(signedCommands(third.got)).toEqual([]);
    third.send(result(issued.commandId, CommandOutcome.COMMAND_OUTCOME_DONE));
    await third.waitFor((got) => resultAcks(got).length >= 1);
    expect(await commands.get(issued.commandId)).toMatchObject({ state: 'done', result: { outcome: 'done' } });
    const results = (await audited('command.result')).filter((r) => r.details.commandId === issued.commandId);
    expect(results.map((r) => r.details.outcome).reverse()).toEqual(['warning', 'done']);
    await closed(third);
  });

  it('ignores results for commands not sent to this agent, and bounds what it stores', async () => {
    const scraped = await scrape();
    const foreign = await issuer.issue(lockScreen(other.agentId));
    const session = agent.open();
    session.send(
      hello(
        undefined,
        agent.commandKeys.map((k) => k.keyId),
      ),
    );
    const mine = await issuer.issue(lockScreen(agent.agentId, { automatic: false }));
    const mine2 = await issuer.issue(lockScreen(agent.agentId));
    await session.waitFor((got) => signedCommands(got).length >= 2);
    const refusals = manager.app.get(AgentReportsService).refusals;
    const before = refusals.snapshot();

    session.send(result(foreign.commandId, CommandOutcome.COMMAND_OUTCOME_DONE));
    session.send(result(mine.commandId, 99));
    session.send(result('x'.repeat(65), CommandOutcome.COMMAND_OUTCOME_DONE));
    session.send(
      result(mine.commandId, CommandOutcome.COMMAND_OUTCOME_FAILED, {
        message: 'm'.repeat(5_000),
        detailsJson: '[1,2]',
      }),
    );
    session.send(
      result(mine2.commandId, CommandOutcome.COMMAND_OUTCOME_DONE, { detailsJson: `{"a":"${'z'.repeat(9_000)}"}` }),
    );
    await session.waitFor((got) => resultAcks(got).length >= 2);
    expect(resultAcks(session.got)).toEqual([mine.commandId, mine2.commandId]);

    expect((await commands.get(foreign.commandId)).state).toBe('queued');
    const cut = await commands.get(mine.commandId);
    expect(cut).toMatchObject({ state: 'failed', result: { details: {} } });
    expect(cut.result?.message).toHaveLength(500);
    expect((await commands.get(mine2.commandId)).result?.details).toEqual({});
    const after = refusals.snapshot();
    const delta = (k: keyof typeof after) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([delta('foreign_result'), delta('unknown_outcome'), delta('oversized_id')]).toEqual([1, 1, 1]);
    expect([delta('oversized_message'), delta('bad_details')]).toEqual([1, 2]);

    await issuer.issue(
      lockScreen(other.agentId, { automatic: false, decision: { source: 'approval', actorId: 'u-1' } }),
    );
    const now = await scrape();
    const refused = (reason: string) =>
      grown(scraped, now, `wardwatch_response_command_refusals_total{reason="${reason}"}`);
    expect(['foreign_result', 'unknown_outcome', 'oversized_id', 'bad_details'].map(refused)).toEqual([1, 1, 1, 2]);
    const issued = (mode: string) =>
      grown(scraped, now, `wardwatch_response_commands_issued_total{action="lockScreen",mode="${mode}"}`);
    expect([issued('automatic'), issued('manual'), issued('approved')]).toEqual([2, 1, 1]);
    const finished = (outcome: string) =>
      grown(scraped, now, `wardwatch_response_command_results_total{outcome="${outcome}"}`);
    expect([finished('done'), finished('failed'), finished('other')]).toEqual([1, 1, 0]);
    await closed(session);
  });

  it('audits local actions once per id and keeps the break-glass state', async () => {
    const reports = manager.app.get(AgentReportsService);
    const session = agent.open();
    session.send(
      hello(
        undefined,
        agent.commandKeys.map((k) => k.keyId),
      ),
    );
    const local = (id: string, kind: string): AgentMessage => ({
      body: {
        $case: 'localAction',
        value: {
          id,
          timeMs: Date.now(),
          kind,
          user: 'u_1',
          reason: 'resuscitation',
          durationSeconds: 900,
          commandId: '',
        },
      },
    });
    session.send(local('la-1', 'break_glass'));
    session.send(local('la-1', 'break_glass'));
    session.send(local('la-2', 'rm -rf'));
    await expect.poll(async () => (await audited('agent.break_glass')).length, { timeout: 5_000 }).toBe(1);
    expect(await reports.isUnderBreakGlass(agent.agentId)).toBe(true);
    expect(await reports.isUnderBreakGlass(other.agentId)).toBe(false);
    session.send(local('la-3', 'break_glass_ended'));
    await expect.poll(() => reports.isUnderBreakGlass(agent.agentId), { timeout: 5_000 }).toBe(false);
    expect(reports.refusals.get('duplicate_local_action')).toBe(1);
    expect(reports.refusals.get('bad_local_action')).toBe(1);
    await closed(session);
  });

  it('rotates: the new key goes to the agent signed by the old one; later commands use the new one', async () => {
    const login = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const oldKeys = agent.commandKeys;
    const session = agent.open();
    session.send(
      hello(
        undefined,
        oldKeys.map((k) => k.keyId),
      ),
    );
    await session.waitFor(() => true);
    const rotated = await fetch(`${manager.httpUrl}/api/v1/command-keys/rotate`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(rotated.status).toBe(200);
    const rotation = (await rotated.json()) as { previousKeyId: string; keyId: string; agents: number };
    expect(rotation).toMatchObject({ previousKeyId: oldKeys[0].keyId, agents: 2 });

    await session.waitFor((got) =>
      signedCommands(got).some((s) => verified(s, oldKeys).action?.$case === 'rotateCommandKey'),
    );
    const rotate = signedCommands(session.got).find((s) => verified(s, oldKeys).action?.$case === 'rotateCommandKey')!;
    expect(rotate.keyId).toBe(oldKeys[0].keyId);
    const action = verified(rotate, oldKeys).action;
    if (action?.$case !== 'rotateCommandKey' || !action.value.next) throw new Error('no next key');
    const next = action.value.next;
    expect(next.keyId).toBe(rotation.keyId);
    await closed(session);

    // The agent pins it and says so in its next Hello: commands are now signed by the new key.
    const pinned = [...oldKeys, next];
    const again = agent.open();
    again.send(
      hello(
        undefined,
        pinned.map((k) => k.keyId),
      ),
    );
    await again.waitFor(() => true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const issued = await issuer.issue(lockScreen(agent.agentId));
    await again.waitFor((got) =>
      signedCommands(got).some((s) => CommandPayload.decode(s.payload).commandId === issued.commandId),
    );
    const signed = signedCommands(again.got).find(
      (s) => CommandPayload.decode(s.payload).commandId === issued.commandId,
    )!;
    expect(signed.keyId).toBe(next.keyId);
    expect(verified(signed, [next]).commandId).toBe(issued.commandId);
    expect(await audited('command_key.rotated')).toHaveLength(1);

    // A maintenance code for this agent is signed with a key it pinned, checked offline by the agent.
    const codeResponse = await fetch(`${manager.httpUrl}/api/v1/agents/${agent.agentId}/maintenance-code`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ maxMinutes: 30 }),
    });
    expect(codeResponse.status).toBe(200);
    const code = parseMaintenanceCode(((await codeResponse.json()) as { code: string }).code);
    if (!code) throw new Error('not a maintenance code');
    expect(code.payload).toMatchObject({ agentId: agent.agentId, maxMinutes: 30, issuedBy: 'admin' });
    expect(code.payload.expiresAtMs - code.payload.issuedAtMs).toBeLessThanOrEqual(24 * 3_600_000);
    const key = pinned.find((k) => k.keyId === code.keyId)!;
    expect(
      verify(
        null,
        code.signedBytes,
        createPublicKey({ key: Buffer.from(key.publicKey), format: 'der', type: 'spki' }),
        code.signature,
      ),
    ).toBe(true);
    expect(await audited('agent.maintenance_code')).toHaveLength(1);
    await closed(again);
  });

  it('ends the stream of an agent that keeps sending results for commands it was never sent', async () => {
    const session = other.open();
    session.send(
      hello(
        undefined,
        other.commandKeys.map((k) => k.keyId),
      ),
    );
    for (let i = 0; i < 102; i += 1) session.send(result(`not-yours-${i}`, CommandOutcome.COMMAND_OUTCOME_DONE));
    const ended = await session.ended();
    expect(ended?.details).toMatch(/too many malformed messages/);
    expect(resultAcks(session.got)).toEqual([]);
  }, 20_000);
});
