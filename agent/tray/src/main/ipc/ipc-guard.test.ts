import { describe, expect, it } from 'vitest';
import { InvokeChannels, type StatusResult } from '../../common/ipc-channels';
import { IpcGuard, type InvokeEventLike, type IpcMainLike, type IpcRejection } from './ipc-guard';

const PAGE = 'file:///opt/wardwatch/tray/dist/renderer/index.html';
const problem: StatusResult = { ok: false, fetchedAt: 1, problem: { code: 'unreachable', message: 'nothing answers' } };

/** Collects the handlers registered on a fake ipcMain, so the test can invoke them as Electron would. */
function sut(answer: () => Promise<unknown> = () => Promise.resolve(problem)) {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipc: IpcMainLike = {
    handle: (name, listener) => handlers.set(name, listener),
    removeHandler: (name) => handlers.delete(name),
  };
  const rejections: IpcRejection[] = [];
  const guard = new IpcGuard(ipc, PAGE, (r) => rejections.push(r));
  let calls = 0;
  guard.handle(InvokeChannels.getStatus, async () => {
    calls++;
    return (await answer()) as StatusResult;
  });
  const invoke = (event: InvokeEventLike, ...args: unknown[]) =>
    handlers.get(InvokeChannels.getStatus.name)!(event, ...args);
  return { guard, handlers, invoke, rejections, calls: () => calls };
}

const fromPage = (url = PAGE, parent: unknown = null): InvokeEventLike => ({ senderFrame: { url, parent } });

describe('IpcGuard', () => {
  it('answers the tray page with a schema-checked result', async () => {
    const { invoke, rejections } = sut();
    expect(await invoke(fromPage())).toEqual(problem);
    expect(await invoke(fromPage(`${PAGE}#events`))).toEqual(problem);
    expect(rejections).toEqual([]);
  });

  it('refuses arguments on a channel that takes none, without running the handler', async () => {
    const { invoke, rejections, calls } = sut();
    await expect(invoke(fromPage(), { path: '/etc/shadow' })).rejects.toThrow(
      'wardwatch:status:get refused (arguments)',
    );
    await expect(invoke(fromPage(), undefined)).rejects.toThrow('refused (arguments)');
    expect(calls()).toBe(0);
    expect(rejections.map((r) => r.reason)).toEqual(['arguments', 'arguments']);
  });

  it('refuses other pages, sub-frames and vanished frames', async () => {
    const { invoke, rejections, calls } = sut();
    await expect(invoke(fromPage('https://evil.example/'))).rejects.toThrow('refused (sender)');
    await expect(invoke(fromPage('file:///tmp/index.html'))).rejects.toThrow('refused (sender)');
    await expect(invoke(fromPage(PAGE, { url: PAGE }))).rejects.toThrow('refused (sender)');
    await expect(invoke({ senderFrame: null })).rejects.toThrow('refused (sender)');
    expect(calls()).toBe(0);
    expect(rejections[0]).toEqual({
      channel: 'wardwatch:status:get',
      reason: 'sender',
      detail: 'page https://evil.example/ may not call',
    });
    expect(rejections).toHaveLength(4);
  });

  it('does not pass on an answer outside the channel schema', async () => {
    const { invoke, rejections } = sut(() => Promise.resolve({ ok: true, fetchedAt: 1, status: { agentId: 'x' } }));
    await expect(invoke(fromPage())).rejects.toThrow('refused (result)');
    expect(rejections[0].reason).toBe('result');
  });

  it('removes its handlers', () => {
    const { guard, handlers } = sut();
    expect(handlers.size).toBe(1);
    guard.removeAll();
    expect(handlers.size).toBe(0);
  });

  it('checks a form channel against its request schema: defaults applied, bad fields refused by path only', async () => {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const rejections: IpcRejection[] = [];
    const guard = new IpcGuard(
      { handle: (name, listener) => handlers.set(name, listener), removeHandler: (name) => handlers.delete(name) },
      PAGE,
      (r) => rejections.push(r),
    );
    const received: unknown[] = [];
    guard.handle(InvokeChannels.startMaintenance, ([request]) => {
      received.push(request);
      return Promise.resolve({ ok: true, fetchedAt: 1, maintenance: { active: true, reason: 'x', until: 2 } });
    });
    guard.handle(InvokeChannels.declareBreakGlass, ([request]) => {
      received.push(request);
      return Promise.resolve({ ok: true, fetchedAt: 1, breakGlass: { active: true, reason: 'x', since: 1, until: 2 } });
    });
    const code = 'SECRET-CODE-'.repeat(3);
    const start = (...args: unknown[]) => handlers.get(InvokeChannels.startMaintenance.name)!(fromPage(), ...args);
    await expect(start({ reason: 'ok', minutes: 3, code })).rejects.toThrow(
      'wardwatch:response:maintenance:start refused (arguments)',
    );
    await expect(start({ reason: 'patching', minutes: 30, code }, 'extra')).rejects.toThrow('refused (arguments)');
    expect(rejections.map((r) => r.detail)).toEqual([
      "1 argument(s) not of the channel's shape at 0.reason, 0.minutes",
      "2 argument(s) not of the channel's shape at (all)",
    ]);
    expect(JSON.stringify(rejections)).not.toContain('SECRET');
    await start({ reason: '  patching  ', minutes: 30, code, extra: '<b>' });
    await handlers.get(InvokeChannels.declareBreakGlass.name)!(fromPage(), { reason: 'code blue, bed 4' });
    expect(received).toEqual([
      { reason: 'patching', minutes: 30, code },
      { reason: 'code blue, bed 4', minutes: 60 },
    ]);
  });

  it('checks the open-sealed channel: strict fields (no extra output path), the code never in the log', async () => {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const rejections: IpcRejection[] = [];
    const guard = new IpcGuard(
      { handle: (name, listener) => handlers.set(name, listener), removeHandler: (name) => handlers.delete(name) },
      PAGE,
      (r) => rejections.push(r),
    );
    const received: unknown[] = [];
    guard.handle(InvokeChannels.openSealed, ([request]) => {
      received.push(request);
      return Promise.resolve({
        ok: true,
        fetchedAt: 1,
        opened: { out: '/home/n/WardWatch-opened/a.pdf', policyVersion: 2 },
      });
    });
    const code = 'SECRET-CODE-'.repeat(3);
    const open = (...args: unknown[]) => handlers.get(InvokeChannels.openSealed.name)!(fromPage(), ...args);
    await expect(open({ path: '/srv/scans/a.pdf.wwsealed', reason: 'GP', code })).rejects.toThrow(
      'wardwatch:response:open-sealed refused (arguments)',
    );
    await expect(open({ path: '/srv/scans/a.pdf.wwsealed', reason: 'GP letter', code, out: '/etc' })).rejects.toThrow(
      'refused (arguments)',
    );
    expect(rejections.map((r) => r.detail)).toEqual([
      "1 argument(s) not of the channel's shape at 0.reason",
      "1 argument(s) not of the channel's shape at 0",
    ]);
    expect(JSON.stringify(rejections)).not.toContain('SECRET');
    await open({ path: '/srv/scans/a.pdf.wwsealed', reason: ' GP letter ', code });
    expect(received).toEqual([{ path: '/srv/scans/a.pdf.wwsealed', reason: 'GP letter', code }]);
  });
});
