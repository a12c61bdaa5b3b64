// The guard through the service: warning countdown (fake clock), break-glass and
// maintenance deferral rules, maintenance codes (real Ed25519), and the local cap.
import { CommandOutcome } from '@wardwatch/proto';
import { ResponseControlError } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponseService, pseudonym } from '../response-service.fixture';
import { AGENT_ID, maintenanceCode, makeCommandKey, payloadOf, signCommand } from '../response-test-kit.fixture';

const { COMMAND_OUTCOME_DONE, COMMAND_OUTCOME_DEFERRED, COMMAND_OUTCOME_WARNING, COMMAND_OUTCOME_REFUSED } =
  CommandOutcome;
const services: { stop(): void }[] = [];
function sut(...args: Parameters<typeof buildResponseService>) {
  const built = buildResponseService(...args);
  services.push(built.service);
  return built;
}
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-12-02T10:15:00') });
});
afterEach(() => {
  for (const service of services.splice(0)) service.stop();
  vi.useRealTimers();
});

const lock = (automatic = true, warningSeconds = 30) =>
  payloadOf({
    automatic,
    warningSeconds,
    action: { $case: 'lockScreen', value: { user: pseudonym('nurse1'), sessionId: '' } },
  });
const revoke = (automatic = true) =>
  payloadOf({ automatic, action: { $case: 'revokeSession', value: { user: pseudonym('nurse1'), sessionId: '' } } });
const kill = (automatic = true) =>
  payloadOf({ automatic, action: { $case: 'killProcessTree', value: { pid: 4242, startTime: 1, folderClass: '' } } });

describe('warning countdown', () => {
  it('warns (result WARNING, status, notifier), then acts when the countdown ends', async () => {
    const { service, key, actions, notifier, resultsOf } = sut();
    const payload = lock();
    await service.handleSignedCommand(signCommand(key, payload));
    expect(resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_WARNING]);
    const view = service.status().actions[0];
    expect(view).toMatchObject({ state: 'warning', runsAt: Date.now() + 30_000 });
    // The warning goes out once the account is resolved (an await on its token): let it settle.
    await vi.advanceTimersByTimeAsync(0);
    expect(notifier.warnings[0]?.message).toMatch(/locked in 30 s/);
    expect(notifier.warnings[0]?.account).toEqual({ name: 'nurse1', uid: 1001 });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(actions.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(actions.calls).toMatchObject([{ action: 'lockScreen', account: { name: 'nurse1' } }]);
    expect(resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_WARNING, COMMAND_OUTCOME_DONE]);
    expect(service.status().actions[0]).toMatchObject({ state: 'done', runsAt: null });
  });

  it('warning_seconds 0 (critical) acts at once without a warning', async () => {
    const { service, key, actions, notifier, resultsOf } = sut();
    const payload = lock(true, 0);
    await service.handleSignedCommand(signCommand(key, payload));
    expect(actions.calls).toHaveLength(1);
    expect(notifier.warnings).toEqual([]);
    expect(resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_DONE]);
  });

  it('break-glass declared during the countdown defers the automatic lock', async () => {
    const { service, key, actions, resultsOf } = sut();
    const payload = lock();
    await service.handleSignedCommand(signCommand(key, payload));
    await service.declareBreakGlass({ reason: 'cardiac arrest, bed 4', minutes: 30 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(actions.calls).toEqual([]);
    expect(resultsOf(payload.commandId).at(-1)).toMatchObject({ outcome: COMMAND_OUTCOME_DEFERRED });
  });

  it('a restart during the countdown resumes it for the time left, warning again, and acts once', async () => {
    const first = sut();
    const payload = lock(false);
    const signed = signCommand(first.key, payload);
    await first.service.handleSignedCommand(signed);
    const runsAt = Date.now() + 30_000;
    first.service.acknowledge(payload.commandId, COMMAND_OUTCOME_WARNING);
    await vi.advanceTimersByTimeAsync(10_000);
    first.service.stop();
    await vi.advanceTimersByTimeAsync(5_000);

    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    expect(second.service.status().actions[0]).toMatchObject({
      commandId: payload.commandId,
      state: 'warning',
      runsAt,
    });
    expect(second.notifier.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/locked in 15 s/)]);
    // Sent again meanwhile: the warning goes back, the countdown is not started twice.
    await second.service.handleSignedCommand(signed);
    expect(second.resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_WARNING]);
    await vi.advanceTimersByTimeAsync(14_000);
    expect(second.actions.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(second.actions.calls).toMatchObject([{ action: 'lockScreen', account: { name: 'nurse1' } }]);
    expect(first.actions.calls).toEqual([]);
    expect(second.resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([
      COMMAND_OUTCOME_WARNING,
      COMMAND_OUTCOME_DONE,
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(second.actions.calls).toHaveLength(1);
  });

  it('a countdown that ended while the agent was down: acts at start while the command lives, else refuses', async () => {
    const first = sut();
    const live = lock(false);
    const dead = payloadOf({ ...lock(false), expiresAtMs: Date.now() + 60_000 });
    for (const payload of [live, dead]) await first.service.handleSignedCommand(signCommand(first.key, payload));
    first.service.stop();
    vi.setSystemTime(Date.now() + 120_000);

    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    expect(second.actions.calls).toMatchObject([{ action: 'lockScreen' }]);
    expect(second.resultsOf(live.commandId).map((r) => r.outcome)).toEqual([
      COMMAND_OUTCOME_WARNING,
      COMMAND_OUTCOME_DONE,
    ]);
    expect(second.resultsOf(dead.commandId).at(-1)).toMatchObject({
      outcome: COMMAND_OUTCOME_REFUSED,
      message: 'expired while the agent was down during its warning; the action was not run',
    });
    expect(second.service.status().actions.find((a) => a.commandId === dead.commandId)?.state).toBe('refused');
  });

  it('break-glass still applies to a countdown resumed after a restart', async () => {
    const first = sut();
    const payload = lock();
    await first.service.handleSignedCommand(signCommand(first.key, payload));
    await first.service.declareBreakGlass({ reason: 'code blue, bed 2', minutes: 30 });
    first.service.stop();
    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(second.actions.calls).toEqual([]);
    expect(second.resultsOf(payload.commandId).at(-1)).toMatchObject({ outcome: COMMAND_OUTCOME_DEFERRED });
    second.service.stop();
    // Finished: the next start resumes nothing (it only resends the unacknowledged results).
    const third = sut({ dir: first.dir, key: first.key });
    await third.service.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(third.resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([
      COMMAND_OUTCOME_WARNING,
      COMMAND_OUTCOME_DEFERRED,
    ]);
    expect([third.notifier.warnings, third.actions.calls]).toEqual([[], []]);
  });
});

describe('break-glass', () => {
  it('defers automatic revoke, lock and disable; kill, block and person-approved commands still run', async () => {
    const { service, key, actions, resultsOf, localActions } = sut();
    const view = await service.declareBreakGlass({ reason: 'resuscitation in progress', minutes: 60 });
    expect(view).toMatchObject({ active: true, until: Date.now() + 3_600_000 });
    // Reported with the pseudonym of the user at the workstation (the clinician who declared it).
    expect(localActions()).toMatchObject([
      { kind: 'break_glass', reason: 'resuscitation in progress', durationSeconds: 3_600, user: pseudonym('nurse1') },
    ]);

    const deferred = [
      revoke(),
      lock(true, 0),
      payloadOf({ action: { $case: 'disableAccount', value: { user: pseudonym('nurse1'), durationSeconds: 60 } } }),
    ];
    for (const payload of deferred) {
      await service.handleSignedCommand(signCommand(key, payload));
      expect(resultsOf(payload.commandId)[0]).toMatchObject({
        outcome: COMMAND_OUTCOME_DEFERRED,
        message: 'break-glass declared at 10:15',
      });
    }
    for (const payload of [kill(), payloadOf(), revoke(false)])
      await service.handleSignedCommand(signCommand(key, payload));
    expect(actions.calls.map((c) => c.action)).toEqual(['killProcessTree', 'blockRemovable', 'revokeSession']);
  });

  it('ends by itself, is sent up as break_glass_ended, and survives a restart with its end time', async () => {
    const first = sut();
    await first.service.declareBreakGlass({ reason: 'mass casualty incident', minutes: 10 });
    first.service.stop();
    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    expect(second.service.status().breakGlass.active).toBe(true);
    const payload = revoke();
    await second.service.handleSignedCommand(signCommand(second.key, payload));
    expect(second.resultsOf(payload.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_DEFERRED);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(second.service.status().breakGlass.active).toBe(false);
    expect(second.localActions().map((a) => a.kind)).toContain('break_glass_ended');
    const after = revoke();
    await second.service.handleSignedCommand(signCommand(second.key, after));
    expect(second.resultsOf(after.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_DONE);
  });

  it('one that ran out while the agent was down is ended at start', async () => {
    const first = sut();
    await first.service.declareBreakGlass({ reason: 'mass casualty incident', minutes: 10 });
    first.service.stop();
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    expect(second.service.status().breakGlass.active).toBe(false);
    expect(second.localActions()).toMatchObject([{ kind: 'break_glass_ended', durationSeconds: 600 }]);
  });
});

describe('maintenance mode', () => {
  it('starts only with a valid code, defers every automatic command, and lets approved ones run', async () => {
    const { service, key, actions, resultsOf, localActions } = sut();
    const view = await service.startMaintenance({
      reason: 'reimaging the workstation',
      minutes: 30,
      code: maintenanceCode(key),
    });
    expect(view).toMatchObject({ active: true, reason: 'reimaging the workstation' });
    expect(localActions()[0]).toMatchObject({ kind: 'maintenance', durationSeconds: 1_800 });
    for (const payload of [kill(), payloadOf()]) {
      await service.handleSignedCommand(signCommand(key, payload));
      expect(resultsOf(payload.commandId)[0]).toMatchObject({
        outcome: COMMAND_OUTCOME_DEFERRED,
        message: 'maintenance mode on this workstation',
      });
    }
    await service.handleSignedCommand(signCommand(key, kill(false)));
    expect(actions.calls.map((c) => c.action)).toEqual(['killProcessTree']);
    await service.endMaintenance();
    expect(localActions().map((a) => a.kind)).toEqual(['maintenance', 'maintenance_ended']);
  });

  it('reports an unknown user when nobody is logged in at the workstation itself', async () => {
    const { service, key, localActions } = sut({
      sessions: [{ user: 'it.admin', tty: 'pts/0', from: '10.0.0.5', startMs: 0 }],
    });
    await service.startMaintenance({ reason: 'remote patching', minutes: 30, code: maintenanceCode(key) });
    await service.endMaintenance();
    expect(localActions().map((a) => [a.kind, a.user])).toEqual([
      ['maintenance', ''],
      ['maintenance_ended', ''],
    ]);
  });

  it('refuses a forged, foreign, expired, too short or reused code; a used code stays used after a restart', async () => {
    const { service, key, dir } = sut();
    const refused = async (code: string, minutes = 30) => {
      const error = await service
        .startMaintenance({ reason: 'routine patching', minutes, code })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseControlError);
      return (error as ResponseControlError).message;
    };
    const other = makeCommandKey();
    expect(await refused(maintenanceCode(other))).toMatch(/not signed by a key/);
    const forged = maintenanceCode(key).replace(/\.([A-Za-z0-9_-])/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    expect(await refused(forged)).toMatch(/bad signature/);
    expect(await refused(maintenanceCode(key, { agentId: 'agent-8' }))).toMatch(/another workstation/);
    expect(await refused(maintenanceCode(key, { expiresAtMs: Date.now() - 1 }))).toMatch(/expired/);
    expect(await refused(maintenanceCode(key, { maxMinutes: 15 }), 30)).toMatch(/at most 15 minutes/);
    expect(await refused('not-a-code-at-all-really')).toMatch(/not a maintenance code/);
    const code = maintenanceCode(key, { agentId: AGENT_ID });
    await service.startMaintenance({ reason: 'routine patching', minutes: 10, code });
    await service.endMaintenance();
    expect(await refused(code, 10)).toMatch(/already used/);
    service.stop();
    const restarted = sut({ dir, key });
    const again = await restarted.service
      .startMaintenance({ reason: 'routine patching', minutes: 10, code })
      .catch((e: unknown) => e as Error);
    expect((again as Error).message).toMatch(/already used/);
  });
});

describe('local cap', () => {
  it('defers automatic actions beyond N per minute; approved ones are not counted', async () => {
    const { service, key, resultsOf, actions } = sut({ settings: { maxAutomaticPerMinute: 3 } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const payload = kill();
      ids.push(payload.commandId);
      await service.handleSignedCommand(signCommand(key, payload));
    }
    expect(ids.map((id) => resultsOf(id)[0]?.outcome)).toEqual([
      COMMAND_OUTCOME_DONE,
      COMMAND_OUTCOME_DONE,
      COMMAND_OUTCOME_DONE,
      COMMAND_OUTCOME_DEFERRED,
    ]);
    expect(resultsOf(ids[3] ?? '')[0]?.message).toMatch(/local cap of 3/);
    await service.handleSignedCommand(signCommand(key, kill(false)));
    expect(actions.calls).toHaveLength(4);
    vi.setSystemTime(Date.now() + 60_001);
    const later = kill();
    await service.handleSignedCommand(signCommand(key, later));
    expect(resultsOf(later.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_DONE);
  });
});
