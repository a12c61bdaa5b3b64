import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { toEventRecord } from './event-record';

const NOW = 1_700_000_000_000;
const login = (overrides: Partial<Event> = {}): Event => ({
  id: '6f1c2d1e-0000-4000-8000-000000000001',
  timeMs: NOW - 1_000,
  sequence: 0,
  severity: Severity.SEVERITY_MEDIUM,
  user: 'u_abc',
  detail: {
    $case: 'login',
    value: {
      action: 'failed_logon',
      method: 'password',
      service: 'sshd',
      tty: '',
      sourceHost: '',
      sourceIp: 'ip_1',
      sourcePort: 22,
      targetUser: '',
      raw: '',
    },
  },
  ...overrides,
});

describe('toEventRecord', () => {
  it('keeps the category, action and the detail fields as sent', () => {
    const result = toEventRecord(login(), 'agent-1', 'ward3-ws12', NOW);
    expect(result).toMatchObject({
      ok: true,
      record: {
        agentId: 'agent-1',
        hostname: 'ward3-ws12',
        category: 'login',
        action: 'failed_logon',
        severity: 3,
        receivedMs: NOW,
        detail: { service: 'sshd', sourcePort: 22 },
      },
    });
  });

  it('refuses an event without detail, id or action, with a reason', () => {
    expect(toEventRecord(login({ detail: undefined }), 'a', 'h', NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('detail') as unknown,
    });
    expect(toEventRecord(login({ id: '' }), 'a', 'h', NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('id') as unknown,
    });
    expect(toEventRecord(login({ id: '<script>' }), 'a', 'h', NOW)).toMatchObject({ ok: false });
    const noAction = login();
    if (noAction.detail?.$case === 'login') noAction.detail.value.action = '';
    expect(toEventRecord(noAction, 'a', 'h', NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('action') as unknown,
    });
  });

  it('refuses a time far in the future and an unknown severity', () => {
    expect(toEventRecord(login({ timeMs: NOW + 2 * 86_400_000 }), 'a', 'h', NOW)).toMatchObject({ ok: false });
    // Event times: 5 min ahead at most, 30 days back at most (both configurable), refused with a code.
    expect(toEventRecord(login({ timeMs: NOW + 5 * 60_000 }), 'a', 'h', NOW).ok).toBe(true);
    expect(toEventRecord(login({ timeMs: NOW + 5 * 60_000 + 1 }), 'a', 'h', NOW)).toEqual({
      ok: false,
      code: 'event_time',
      reason: "timeMs is more than 300 s ahead of the manager's clock",
    });
    expect(toEventRecord(login({ timeMs: NOW - 30 * 86_400_000 }), 'a', 'h', NOW).ok).toBe(true);
    expect(toEventRecord(login({ timeMs: NOW - 31 * 86_400_000 }), 'a', 'h', NOW)).toMatchObject({
      ok: false,
      code: 'event_time',
    });
    const narrow = { maxFutureMs: 1_000, maxEventAgeMs: 60_000 };
    expect(toEventRecord(login({ timeMs: NOW - 61_000 }), 'a', 'h', NOW, narrow)).toMatchObject({ ok: false });
    expect(toEventRecord(login({ severity: Severity.UNRECOGNIZED }), 'a', 'h', NOW)).toMatchObject({ ok: false });
  });

  it('cuts very long strings', () => {
    const long = login();
    if (long.detail?.$case === 'login') long.detail.value.raw = 'x'.repeat(10_000);
    const result = toEventRecord(long, 'a', 'h', NOW);
    expect(result.ok && String(result.record.detail.raw).length).toBe(4_097);
  });
});
