import type { AgentStatus, ResponseActionView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { ResponseResult, StatusResult } from '../../common/ipc-channels';
import { trayIconBitmap } from './tray-icon';
import { buildTrayModel } from './tray-menu';

const status = (connected: boolean): AgentStatus => ({
  agentId: 'a',
  version: '0.1.0',
  manager: { address: 'mgr.local:50051', connected, lastConnectedAt: null, lastError: null },
  lastEventAt: null,
  counts: { collected: 0, sent: 0, queued: 0, dropped: 0 },
  collectors: [],
  startedAt: 0,
});
const ok = (connected: boolean): StatusResult => ({ ok: true, fetchedAt: 1, status: status(connected) });

describe('buildTrayModel', () => {
  it('offers Open status, Open a sealed file, Refresh, Open logs folder and Quit, in that order', () => {
    const actions = buildTrayModel(null).items.flatMap((item) =>
      item.kind === 'action' ? [[item.id, item.label]] : [],
    );
    expect(actions).toEqual([
      ['open-status', 'Open status'],
      ['open-sealed', 'Open a sealed file…'],
      ['refresh', 'Refresh'],
      ['open-logs', 'Open logs folder'],
      ['quit', 'Quit'],
    ]);
  });

  it('says what it knows in the tooltip and the first row', () => {
    expect(buildTrayModel(null)).toMatchObject({ health: 'unknown', tooltip: 'WardWatch: checking the agent…' });
    expect(buildTrayModel(ok(true))).toMatchObject({
      health: 'connected',
      tooltip: 'WardWatch: connected to mgr.local:50051',
    });
    expect(buildTrayModel(ok(false))).toMatchObject({
      health: 'disconnected',
      tooltip: 'WardWatch: not connected to mgr.local:50051',
    });
    const down = buildTrayModel({ ok: false, fetchedAt: 1, problem: { code: 'token-unreadable', message: 'm' } });
    expect(down.health).toBe('unknown');
    expect(down.items[0]).toEqual({ kind: 'label', label: 'WardWatch: agent not reachable (token-unreadable)' });
  });
});

describe('trayIconBitmap', () => {
  it('draws a 16×16 BGRA disc in the colour of the health, transparent in the corners', () => {
    const green = trayIconBitmap('connected');
    expect(green).toHaveLength(16 * 16 * 4);
    const centre = (8 * 16 + 8) * 4;
    expect([...green.subarray(centre, centre + 4)]).toEqual([67, 160, 46, 255]);
    expect(green[3]).toBe(0); // top-left corner alpha
    expect(trayIconBitmap('disconnected').equals(green)).toBe(false);
    expect(trayIconBitmap('unknown').equals(trayIconBitmap('disconnected'))).toBe(false);
  });
});

describe('the tray while a response warning runs', () => {
  const responseWith = (actions: ResponseActionView[]): ResponseResult => ({
    ok: true,
    fetchedAt: 1,
    response: {
      commandsEnabled: true,
      dryRun: false,
      actions,
      breakGlass: { active: false, reason: null, since: null, until: null },
      maintenance: { active: false, reason: null, until: null },
    },
  });
  const lock: ResponseActionView = {
    commandId: 'cmd-1',
    kind: 'lock_screen',
    state: 'warning',
    reason: 'unusual access to patient files',
    automatic: true,
    receivedAt: 0,
    runsAt: 60_000,
    finishedAt: null,
    message: '',
    undoable: false,
    expiresAt: null,
  };

  it('turns the icon red and says to save work, ahead of the connection state', () => {
    expect(buildTrayModel(ok(true), responseWith([])).health).toBe('connected');
    expect(buildTrayModel(ok(true), responseWith([{ ...lock, state: 'done', runsAt: null }])).health).toBe('connected');
    const model = buildTrayModel(ok(true), responseWith([lock]));
    expect(model).toMatchObject({
      health: 'warning',
      tooltip: 'WardWatch: save your work, this session will be locked soon',
    });
    expect(model.items[0]).toEqual({ kind: 'label', label: model.tooltip });
    expect(trayIconBitmap('warning').equals(trayIconBitmap('connected'))).toBe(false);
  });
});
