import { describe, expect, it } from 'vitest';
import { PushChannels, type StatusResult } from '../common/ipc-channels';
import { createBridge, type IpcRendererLike } from './bridge';

const problem: StatusResult = { ok: false, fetchedAt: 5, problem: { code: 'timeout', message: 'slow' } };

/** An in-memory ipcRenderer: records invokes, lets the test push as main would. */
function sut(answer: unknown = problem) {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const ipc: IpcRendererLike = {
    invoke: (...args) => {
      invoked.push(args);
      return Promise.resolve(answer);
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const push = (payload: unknown) =>
    listeners.get(PushChannels.status.name)?.forEach((l) => l({ sender: 'ipcRenderer' }, payload));
  return { bridge: createBridge(ipc), invoked, push, listeners };
}

describe('createBridge', () => {
  it('exposes exactly the status and response functions, frozen', () => {
    const { bridge } = sut();
    expect(Object.keys(bridge).sort()).toEqual([
      'declareBreakGlass',
      'endBreakGlass',
      'endMaintenance',
      'getRecentEvents',
      'getResponse',
      'getStatus',
      'onResponse',
      'onStatus',
      'openSealed',
      'startMaintenance',
      'undo',
    ]);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the channel without arguments and returns the checked answer', async () => {
    const { bridge, invoked } = sut();
    expect(await bridge.getStatus()).toEqual(problem);
    expect(invoked).toEqual([['wardwatch:status:get']]);
  });

  it('rejects an answer outside the schema', async () => {
    const { bridge } = sut({ ok: true, fetchedAt: 1, items: 'not a list' });
    await expect(bridge.getRecentEvents()).rejects.toThrow();
  });

  it('passes pushed status on without the Electron event, drops malformed pushes, and unsubscribes', () => {
    const { bridge, push, listeners } = sut();
    const seen: unknown[][] = [];
    const off = bridge.onStatus((...args) => seen.push(args));
    push(problem);
    push({ ok: 'yes' });
    off();
    push(problem);
    expect(seen).toEqual([[problem]]);
    expect(listeners.get(PushChannels.status.name)?.size).toBe(0);
    expect(() => bridge.onStatus('alert(1)' as unknown as () => void)).toThrow(TypeError);
  });

  it('sends a form as one argument on its channel and checks the answer against the result schema', async () => {
    const refused = { ok: false, fetchedAt: 5, problem: { code: 'refused', message: 'maintenance code refused' } };
    const { bridge, invoked } = sut(refused);
    const request = { reason: 'patching', minutes: 30, code: 'c'.repeat(20) };
    expect(await bridge.startMaintenance(request)).toEqual(refused);
    expect(await bridge.endBreakGlass()).toEqual(refused);
    expect(invoked).toEqual([
      ['wardwatch:response:maintenance:start', request],
      ['wardwatch:response:break-glass:end'],
    ]);
    const { bridge: lying } = sut({ ok: true, fetchedAt: 1, action: { commandId: 'c1' } });
    await expect(lying.undo({ commandId: 'c1', code: 'c'.repeat(20) })).rejects.toThrow();
  });

  it('passes pushed response results on, and drops malformed ones', () => {
    const { bridge, listeners } = sut();
    const seen: unknown[] = [];
    bridge.onResponse((r) => seen.push(r));
    const push = (payload: unknown) =>
      listeners.get(PushChannels.response.name)?.forEach((l) => l({ sender: 'ipcRenderer' }, payload));
    push(problem);
    push({ ok: true, fetchedAt: 1, response: { actions: 'none' } });
    expect(seen).toEqual([problem]);
  });
});
