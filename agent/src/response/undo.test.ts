// Undo of reversible actions: by an UndoAction command, by IT staff with a maintenance
// code, and by expiry (a timer, and at start for records that expired while down).
import { CommandOutcome } from '@wardwatch/proto';
import { ResponseControlError } from '@wardwatch/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponseService, pseudonym } from './response-service.fixture';
import { maintenanceCode, payloadOf, signCommand } from './response-test-kit.fixture';
import { UndoStore } from './undo-store';

const services: { stop(): void }[] = [];
function sut(...args: Parameters<typeof buildResponseService>) {
  const built = buildResponseService(...args);
  services.push(built.service);
  return built;
}
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-12-02T10:15:00Z') });
});
afterEach(() => {
  for (const service of services.splice(0)) service.stop();
  vi.useRealTimers();
});

const block = (seconds = 3_600) =>
  payloadOf({ action: { $case: 'blockRemovable', value: { durationSeconds: seconds } } });

describe('undo', () => {
  it('by command: the UndoRecord is handed back to the actions and forgotten', async () => {
    const { service, key, actions, dir, resultsOf } = sut();
    const blocked = block();
    await service.handleSignedCommand(signCommand(key, blocked));
    expect(new UndoStore(dir).get(blocked.commandId)?.record.kind).toBe('unblock_removable');
    const undo = payloadOf({ automatic: false, action: { $case: 'undo', value: { commandId: blocked.commandId } } });
    await service.handleSignedCommand(signCommand(key, undo));
    expect(actions.calls.at(-1)).toMatchObject({ action: 'undo', record: { kind: 'unblock_removable' } });
    expect(resultsOf(undo.commandId)[0]?.outcome).toBe(CommandOutcome.COMMAND_OUTCOME_DONE);
    expect(new UndoStore(dir).get(blocked.commandId)).toBeUndefined();
    expect(service.status().actions.find((a) => a.commandId === blocked.commandId)).toMatchObject({
      state: 'undone',
      undoable: false,
    });
    const again = payloadOf({ automatic: false, action: { $case: 'undo', value: { commandId: blocked.commandId } } });
    await service.handleSignedCommand(signCommand(key, again));
    expect(resultsOf(again.commandId)[0]).toMatchObject({
      outcome: CommandOutcome.COMMAND_OUTCOME_FAILED,
      message: 'nothing to undo for that command',
    });
  });

  it('by IT staff in the tray, with a maintenance code, sent up as a LocalAction', async () => {
    const { service, key, actions, localActions } = sut();
    const blocked = block();
    await service.handleSignedCommand(signCommand(key, blocked));
    const bad = await service.undo({ commandId: blocked.commandId, code: 'x'.repeat(20) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ResponseControlError);
    expect(actions.calls.map((c) => c.action)).toEqual(['blockRemovable']);
    const view = await service.undo({ commandId: blocked.commandId, code: maintenanceCode(key) });
    expect(view).toMatchObject({ commandId: blocked.commandId, state: 'undone' });
    expect(localActions()).toMatchObject([{ kind: 'undo', commandId: blocked.commandId, user: pseudonym('nurse1') }]);
    const unknown = await service.undo({ commandId: 'nope', code: maintenanceCode(key) }).catch((e: unknown) => e);
    expect((unknown as ResponseControlError).status).toBe(404);
  });

  it('by expiry: a timer undoes the record when its time comes', async () => {
    const { service, key, actions, dir } = sut();
    const blocked = block(120);
    await service.handleSignedCommand(signCommand(key, blocked));
    await vi.advanceTimersByTimeAsync(119_000);
    expect(actions.calls.map((c) => c.action)).toEqual(['blockRemovable']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(actions.calls.map((c) => c.action)).toEqual(['blockRemovable', 'undo']);
    expect(new UndoStore(dir).all()).toEqual([]);
  });

  it('by expiry during downtime: undone at the next start', async () => {
    const first = sut();
    const blocked = block(120);
    await first.service.handleSignedCommand(signCommand(first.key, blocked));
    first.service.stop();
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const second = sut({ dir: first.dir, key: first.key });
    expect(second.actions.calls).toEqual([]);
    await second.service.start();
    expect(second.actions.calls).toMatchObject([{ action: 'undo', record: { kind: 'unblock_removable' } }]);
    expect(new UndoStore(first.dir).all()).toEqual([]);
  });

  it('a failed expiry undo is kept and tried again a minute later', async () => {
    const { service, key, actions, dir } = sut();
    await service.handleSignedCommand(signCommand(key, block(60)));
    actions.failNext = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(new UndoStore(dir).all()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(actions.calls.filter((c) => c.action === 'undo')).toHaveLength(2);
    expect(new UndoStore(dir).all()).toEqual([]);
  });
});
