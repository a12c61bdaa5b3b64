import type { ResponseActionView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { ResponseResult } from '../../common/ipc-channels';
import { formatCountdown } from '../../renderer/response-words';
import { WarningNotifier, type DesktopNotice } from './warning-notifier';

const NOW = 1_000_000;

const action = (over: Partial<ResponseActionView>): ResponseActionView => ({
  commandId: 'cmd-1',
  kind: 'lock_screen',
  state: 'warning',
  reason: 'unusual access to patient files',
  automatic: true,
  receivedAt: NOW - 18_000,
  runsAt: NOW + 42_000,
  finishedAt: null,
  message: '',
  undoable: false,
  expiresAt: null,
  ...over,
});

const ok = (...actions: ResponseActionView[]): ResponseResult => ({
  ok: true,
  fetchedAt: NOW,
  response: {
    commandsEnabled: true,
    dryRun: false,
    actions,
    breakGlass: { active: false, reason: null, since: null, until: null },
    maintenance: { active: false, reason: null, until: null },
  },
});

function sut() {
  const notices: DesktopNotice[] = [];
  let now = NOW;
  const notifier = new WarningNotifier({ notify: (n) => notices.push(n) }, () => now);
  return { notifier, notices, tick: (ms: number) => (now += ms) };
}

describe('formatCountdown', () => {
  it('gives m:ss rounded up, never negative', () => {
    expect([42_000, 41_001, 65_000, 600_000, 0, -5_000].map(formatCountdown)).toEqual([
      '0:42',
      '0:42',
      '1:05',
      '10:00',
      '0:00',
      '0:00',
    ]);
  });
});

describe('WarningNotifier', () => {
  it('announces a warning once, when it starts, with what happens, when and why', () => {
    const { notifier, notices, tick } = sut();
    notifier.update(ok(action({ state: 'done', runsAt: null })));
    expect(notices).toEqual([]);
    notifier.update(ok(action({})));
    tick(2_000);
    notifier.update(ok(action({})));
    expect(notices).toEqual([
      {
        title: 'WardWatch: save your work',
        body: 'Save your work: this session will be locked in 0:42. Reason: unusual access to patient files',
      },
    ]);
  });

  it('announces each new warning, is not repeated by a failed read, and forgets ended ones', () => {
    const { notifier, notices } = sut();
    notifier.update(ok(action({})));
    notifier.update({ ok: false, fetchedAt: NOW, problem: { code: 'timeout', message: 'slow' } });
    notifier.update(ok(action({}), action({ commandId: 'cmd-2', kind: 'revoke_session', runsAt: NOW + 60_000 })));
    notifier.update(ok());
    notifier.update(ok(action({})));
    expect(notices.map((n) => n.body.split('. Reason')[0])).toEqual([
      'Save your work: this session will be locked in 0:42',
      'Save your work: this session will be signed out in 1:00',
      'Save your work: this session will be locked in 0:42',
    ]);
  });
});
