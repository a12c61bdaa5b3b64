import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOutcome } from '@wardwatch/proto';
import { ResponseStatus } from '@wardwatch/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from './command-journal';
import { buildResponseService, pseudonym } from './response-service.fixture';
import { makeCommandKey, payloadOf, signCommand } from './response-test-kit.fixture';

const { COMMAND_OUTCOME_DONE, COMMAND_OUTCOME_FAILED, COMMAND_OUTCOME_REFUSED, COMMAND_OUTCOME_DRY_RUN } =
  CommandOutcome;
const services: { stop(): void }[] = [];
function sut(...args: Parameters<typeof buildResponseService>) {
  const built = buildResponseService(...args);
  services.push(built.service);
  return built;
}
afterEach(() => {
  for (const service of services.splice(0)) service.stop();
});

describe('ResponseService: commands', () => {
  it('runs a verified command once and reports DONE', async () => {
    const { service, key, actions, resultsOf } = sut();
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(key, payload));
    expect(actions.calls).toEqual([{ action: 'blockRemovable', durationSeconds: 3_600, dryRun: false }]);
    expect(resultsOf(payload.commandId).map((r) => [r.outcome, r.ok])).toEqual([[COMMAND_OUTCOME_DONE, true]]);
    const view = service.status().actions[0];
    expect(view).toMatchObject({
      commandId: payload.commandId,
      state: 'done',
      kind: 'block_removable',
      undoable: true,
    });
    // The tray's contract (local API) holds for what the service reports.
    expect(ResponseStatus.safeParse(service.status()).success).toBe(true);
  });

  it('journals the command (on disk) before the action starts', async () => {
    const { service, key, actions, dir } = sut();
    const payload = payloadOf();
    let onDisk = false;
    const block = actions.blockRemovable.bind(actions);
    actions.blockRemovable = (seconds, options) => {
      onDisk = readFileSync(join(dir, JOURNAL_FILE), 'utf8').includes(payload.commandId);
      return block(seconds, options);
    };
    await service.handleSignedCommand(signCommand(key, payload));
    expect(onDisk).toBe(true);
  });

  it('refuses a forged command with a result and without running anything', async () => {
    const { service, actions, resultsOf } = sut();
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(makeCommandKey(), payload));
    expect(actions.calls).toEqual([]);
    expect(resultsOf(payload.commandId)[0]).toMatchObject({ outcome: COMMAND_OUTCOME_REFUSED, ok: false });
  });

  it('a command sent again is not run again: its kept result goes back, before and after the ack', async () => {
    const { service, key, actions, resultsOf } = sut();
    const payload = payloadOf();
    const signed = signCommand(key, payload);
    await service.handleSignedCommand(signed);
    await service.handleSignedCommand(signed);
    expect(resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_DONE, COMMAND_OUTCOME_DONE]);
    service.acknowledge(payload.commandId, COMMAND_OUTCOME_DONE);
    // The manager sends it again only while it lacks the final result: it gets that result, not a refusal.
    await service.handleSignedCommand(signed);
    const [done, , again] = resultsOf(payload.commandId);
    expect(again).toEqual(done);
    expect(actions.calls).toHaveLength(1);
  });

  it('refuses its id with another payload: nothing runs, and no result under that id', async () => {
    const { service, key, actions, resultsOf, logger } = sut();
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(key, payload));
    const forged = { ...payload, action: { $case: 'collectDiagnostics' as const, value: {} }, automatic: false };
    await service.handleSignedCommand(signCommand(key, forged));
    expect(actions.calls.map((c) => c.action)).toEqual(['blockRemovable']);
    expect(resultsOf(payload.commandId).map((r) => r.outcome)).toEqual([COMMAND_OUTCOME_DONE]);
    expect(logger.lines.some((l) => l.msg === 'command refused: its id was already used by a different command')).toBe(
      true,
    );
  });

  it('remembers commands across a restart: the same command on a new stream gets its result, not a run', async () => {
    const first = sut();
    const payload = payloadOf();
    const signed = signCommand(first.key, payload);
    await first.service.handleSignedCommand(signed);
    first.service.acknowledge(payload.commandId, COMMAND_OUTCOME_DONE);
    first.service.stop();
    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    await second.service.handleSignedCommand(signed);
    expect(second.actions.calls).toEqual([]);
    expect(second.resultsOf(payload.commandId)).toMatchObject([
      { outcome: COMMAND_OUTCOME_DONE, message: 'removable writes blocked' },
    ]);
  });

  it('reports an action a stop cut short as failed at the next start, and never runs it again', async () => {
    const first = sut();
    const payload = payloadOf();
    const signed = signCommand(first.key, payload);
    // The agent dies inside the action: journalled as received, no result.
    first.actions.blockRemovable = () => new Promise(() => undefined);
    void first.service.handleSignedCommand(signed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.service.stop();
    const second = sut({ dir: first.dir, key: first.key });
    await second.service.start();
    await second.service.handleSignedCommand(signed);
    expect(second.actions.calls).toEqual([]);
    expect(second.resultsOf(payload.commandId)).toMatchObject([
      { outcome: COMMAND_OUTCOME_FAILED, message: expect.stringMatching(/not run again/) as string },
      { outcome: COMMAND_OUTCOME_FAILED },
    ]);
  });

  it('keeps a result until its ack: resent on every new stream, then no more', async () => {
    const { service, key, sent, connect, resultsOf } = sut();
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(key, payload));
    service.disconnected();
    connect();
    expect(resultsOf(payload.commandId)).toHaveLength(2);
    service.acknowledge(payload.commandId, COMMAND_OUTCOME_DONE);
    service.disconnected();
    sent.length = 0;
    connect();
    expect(resultsOf(payload.commandId)).toHaveLength(0);
  });

  it('resolves a pseudonymised user to the local account; an unknown one fails', async () => {
    const { service, key, actions, resultsOf } = sut();
    const known = payloadOf({
      automatic: false,
      action: { $case: 'revokeSession', value: { user: pseudonym('nurse1'), sessionId: '' } },
    });
    await service.handleSignedCommand(signCommand(key, known));
    expect(actions.calls[0]).toEqual({
      action: 'revokeSession',
      account: { name: 'nurse1', uid: 1001 },
      dryRun: false,
    });
    const unknown = payloadOf({
      action: { $case: 'disableAccount', value: { user: pseudonym('ghost'), durationSeconds: 60 } },
    });
    await service.handleSignedCommand(signCommand(key, unknown));
    expect(resultsOf(unknown.commandId)[0]).toMatchObject({
      outcome: COMMAND_OUTCOME_FAILED,
      message: 'no such local account',
    });
    expect(actions.calls).toHaveLength(1);
  });

  it('kills a named process, or the writers the finder sees in folders of the class', async () => {
    const finder = {
      folders: [] as string[][],
      writersIn: (f: string[]) => (finder.folders.push(f), Promise.resolve([{ pid: 42, startTime: 7 }])),
    };
    const { service, key, actions } = sut({ processFinder: finder });
    await service.handleSignedCommand(
      signCommand(
        key,
        payloadOf({ action: { $case: 'killProcessTree', value: { pid: 99, startTime: 5, folderClass: '' } } }),
      ),
    );
    await service.handleSignedCommand(
      signCommand(
        key,
        payloadOf({ action: { $case: 'killProcessTree', value: { pid: 0, startTime: 0, folderClass: 'phi' } } }),
      ),
    );
    expect(finder.folders).toEqual([['/srv/phi']]);
    expect(actions.calls).toEqual([
      { action: 'killProcessTree', targets: [{ pid: 99, startTime: 5 }], dryRun: false },
      { action: 'killProcessTree', targets: [{ pid: 42, startTime: 7 }], dryRun: false },
    ]);
  });

  it('dry run (by config or by command) asks the action for a dry run and keeps no undo record', async () => {
    const { service, key, actions, resultsOf } = sut({ settings: { dryRun: true } });
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(key, payload));
    expect(actions.calls[0]).toMatchObject({ dryRun: true });
    expect(resultsOf(payload.commandId)[0]).toMatchObject({ outcome: COMMAND_OUTCOME_DRY_RUN, ok: true });
    expect(service.status()).toMatchObject({ dryRun: true, actions: [{ state: 'dry_run', undoable: false }] });

    const other = sut();
    const perCommand = payloadOf({ dryRun: true });
    await other.service.handleSignedCommand(signCommand(other.key, perCommand));
    expect(other.actions.calls[0]).toMatchObject({ dryRun: true });
    expect(other.resultsOf(perCommand.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_DRY_RUN);
  });

  it('without actions every command fails "no actions on this platform"', async () => {
    const { service, key, resultsOf } = sut({ withoutActions: true });
    const payload = payloadOf();
    await service.handleSignedCommand(signCommand(key, payload));
    expect(resultsOf(payload.commandId)[0]).toMatchObject({
      outcome: COMMAND_OUTCOME_FAILED,
      message: 'no actions on this platform',
    });
  });

  it('rotates the command key: the old one is retired once the new one signed a command', async () => {
    const { service, key, keys, actions, resultsOf } = sut();
    const next = makeCommandKey();
    const rotate = payloadOf({
      automatic: false,
      action: { $case: 'rotateCommandKey', value: { next: next.commandKey } },
    });
    await service.handleSignedCommand(signCommand(key, rotate));
    expect(resultsOf(rotate.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_DONE);
    expect(service.commandKeyIds()).toEqual([key.commandKey.keyId, next.commandKey.keyId]);
    await service.handleSignedCommand(signCommand(next, payloadOf()));
    expect(keys.ids()).toEqual([next.commandKey.keyId]);
    const byOld = payloadOf();
    await service.handleSignedCommand(signCommand(key, byOld));
    expect(resultsOf(byOld.commandId)[0]?.outcome).toBe(COMMAND_OUTCOME_REFUSED);
    expect(actions.calls).toHaveLength(1);
  });
});
