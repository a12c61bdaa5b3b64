import type { AlertView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { detailSummary } from './alert-evidence';
import { reasonLines, relationText, scoreText, statusText, triageTrail, windowText } from './alert-display';

const base: AlertView = {
  id: 'a',
  agentId: 'g',
  createdAt: 0,
  severity: 'high',
  score: 81.4,
  title: 't',
  reasons: ['the agent rated this login event high'],
  status: 'open',
  eventIds: ['e'],
};

describe('alert display', () => {
  it("shows the behavioural identity's doubt with the reasons, once", () => {
    const scored: AlertView = {
      ...base,
      reasons: [],
      reasonDetails: [
        {
          text: "session unlike this user's own sessions (owner match 3 %): programs never used by this user: 3",
          source: 'baseline',
          feature: 'identity_mismatch',
          value: 0.97,
        },
      ],
      identityMismatch: 0.97,
    };
    expect(reasonLines(scored)).toEqual([
      { text: scored.reasonDetails![0].text, source: 'baseline', detail: 'identity mismatch 0.97' },
    ]);
    const unnamed: AlertView = { ...scored, reasonDetails: [], identityMismatch: 0.8 };
    expect(reasonLines(unnamed)).toEqual([
      {
        text: "a session of this window looked unlike its owner's (80 %)",
        source: 'context',
        detail: 'identity mismatch 0.80',
      },
    ]);
    expect(reasonLines({ ...unnamed, identityMismatch: 0.2 })).toEqual([]);
  });

  it('shows a single-event alert as before', () => {
    expect(reasonLines(base)).toEqual([{ text: 'the agent rated this login event high', source: 'event' }]);
    expect(scoreText(base)).toBe('81');
    expect(windowText(base)).toBeUndefined();
  });

  it('shows a silent agent’s alert as the manager’s observation, without a score, its window once it ended', () => {
    const start = new Date(2026, 11, 1, 10, 2).getTime();
    const silent: AlertView = {
      ...base,
      kind: 'agent_silent',
      score: 0,
      eventIds: [],
      reasons: ['no heartbeat from ws-12 for 7 min, last seen 09:02 UTC', 'ws-12 was heard from again at 10:40 UTC'],
      windowStart: start,
    };
    expect(reasonLines(silent).map((r) => r.source)).toEqual(['manager', 'manager']);
    expect(scoreText(silent)).toBe('—');
    expect(windowText(silent)).toBeUndefined();
    expect(windowText({ ...silent, windowEnd: start + 38 * 60_000 })).toBe('01/12 10:02–10:40');
  });

  it('shows a scored alert with its figures, threshold and window', () => {
    const start = new Date(2026, 11, 1, 13, 5).getTime();
    const scored: AlertView = {
      ...base,
      threshold: 60,
      windowStart: start,
      windowEnd: start + 60_000,
      reasonDetails: [
        {
          text: 'Brute force against one account: 12 failed logons for this account within 10m',
          source: 'rule',
          ruleId: 'brute-force',
          value: 12,
        },
        { text: 'failed logons: 40; usual is 1', source: 'baseline', feature: 'failed_logons', value: 40, usual: 1.25 },
        { text: 'little history for this user: compared with the whole fleet', source: 'context' },
      ],
    };
    expect(reasonLines(scored)).toEqual([
      {
        text: 'Brute force against one account: 12 failed logons for this account within 10m',
        source: 'rule',
        detail: 'rule brute-force',
      },
      { text: 'failed logons: 40; usual is 1', source: 'baseline', detail: 'value 40 · usual 1.3' },
      { text: 'little history for this user: compared with the whole fleet', source: 'context' },
    ]);
    expect(scoreText(scored)).toBe('81 / 60');
    expect(windowText(scored)).toBe('01/12 13:05–13:06');
  });
});

describe('triage display', () => {
  it('says the status with its verdict, who triaged it, and why an alert is related', () => {
    expect(statusText(base)).toBe('open');
    expect(statusText({ status: 'acknowledged', verdict: null })).toBe('acknowledged');
    expect(statusText({ status: 'closed', verdict: 'false_positive' })).toBe('closed · false positive');
    expect(triageTrail(base)).toBe('');
    expect(triageTrail({ ...base, acknowledgedBy: 'ana.lyst', closedBy: 'bob' })).toBe(
      'acknowledged by ana.lyst · closed by bob',
    );
    expect(relationText(['user', 'source'])).toBe('same user, same source');
  });
});

describe('detailSummary', () => {
  it('lists the fields but the action and empty ones, and caps the line', () => {
    expect(detailSummary({ action: 'failed_logon', sourceIp: 'ip_0a0b0c0d0e0f1011', raw: '', sourcePort: 22 })).toBe(
      'sourceIp ip_0a0b0c0d0e0f1011 · sourcePort 22',
    );
    expect(detailSummary({ tty: '<b>x</b>'.repeat(100) }, 20)).toBe(`tty ${'<b>x</b>'.repeat(2)}…`);
  });
});
