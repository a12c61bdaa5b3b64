// The tracker alone: episodes per source and per account, thresholds, quiet gaps,
// and memory bounded whatever agents send.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.schema';
import { loginView, token } from './incident-events.fixture';
import { IncidentTracker } from './incident-tracker';

const T0 = 1_800_000_000_000;
const limits = () => parseConfig({}, '/x').incidents.limits;

describe('IncidentTracker', () => {
  it('groups failed logons by source across accounts and workstations', () => {
    const tracker = new IncidentTracker(limits());
    const views = Array.from({ length: 30 }, (_, i) =>
      loginView({
        id: `e${i}`,
        agentId: `agent-${i % 4}`,
        timeMs: T0 + i * 1_000,
        user: token('u', i % 12),
        action: 'failed_logon',
        sourceIp: token('ip', 1),
      }),
    );
    tracker.observe(views, T0);
    const [episode, ...rest] = tracker.takeChanged(T0);
    expect(rest).toEqual([]);
    expect(episode).toMatchObject({
      kind: 'source_failed_logons',
      subject: token('ip', 1),
      failures: 30,
      evidenceCount: 30,
    });
    expect(episode.accounts.size).toBe(12);
    expect(episode.workstations.size).toBe(4);
    expect([episode.firstSeenMs, episode.lastSeenMs]).toEqual([T0, T0 + 29_000]);
    // Nothing new: nothing to write.
    expect(tracker.takeChanged(T0 + 1)).toEqual([]);
  });

  it('stays below the thresholds for a user with a few typos on two machines', () => {
    const tracker = new IncidentTracker(limits());
    const views = [0, 1, 2].map((i) =>
      loginView({
        id: `t${i}`,
        agentId: `agent-${i % 2}`,
        timeMs: T0 + i * 60_000,
        user: token('u', 7),
        action: 'failed_logon',
        sourceIp: token('ip', 9),
      }),
    );
    views.push(loginView({ id: 'ok', agentId: 'agent-0', timeMs: T0 + 200_000, user: token('u', 7), action: 'logon' }));
    tracker.observe(views, T0);
    expect(tracker.takeChanged(T0)).toEqual([]);
  });

  it('starts a new episode after the quiet gap and forgets quiet subjects', () => {
    const tracker = new IncidentTracker(limits());
    const burst = (from: number, prefix: string) =>
      Array.from({ length: 20 }, (_, i) =>
        loginView({
          id: `${prefix}${i}`,
          agentId: 'agent-0',
          timeMs: from + i,
          user: token('u', 1),
          action: 'failed_logon',
          sourceIp: token('ip', 2),
        }),
      );
    tracker.observe(burst(T0, 'a'), T0);
    const first = tracker.takeChanged(T0)[0];
    first.incidentId = 'incident-1';
    tracker.observe(burst(T0 + 16 * 60_000, 'b'), T0 + 16 * 60_000);
    const second = tracker.takeChanged(T0 + 16 * 60_000)[0];
    expect(second.incidentId).toBeUndefined();
    expect(second.failures).toBe(20);
    expect(tracker.tracked('source_failed_logons')).toBe(1);
    tracker.takeChanged(T0 + 32 * 60_000);
    expect(tracker.tracked('source_failed_logons')).toBe(0);
  });

  it('ignores sources that are not tokens and events that are not logons', () => {
    const tracker = new IncidentTracker(limits());
    const views = Array.from({ length: 25 }, (_, i) => ({
      ...loginView({
        id: `x${i}`,
        agentId: 'a',
        timeMs: T0,
        user: token('u', i),
        action: 'failed_logon',
        sourceIp: `10.0.0.${i} ; drop`,
      }),
    }));
    views.push({ ...views[0], category: 'file', action: 'failed_logon', detail: { sourceIp: token('ip', 3) } });
    tracker.observe(views, T0);
    expect(tracker.tracked('source_failed_logons')).toBe(0);
  });

  it('holds memory bounded under a flood of distinct sources, accounts and events', () => {
    const tracker = new IncidentTracker({ ...limits(), maxTracked: 500 });
    const views = [];
    for (let i = 0; i < 50_000; i += 1)
      views.push(
        loginView({
          id: `f${i}`,
          agentId: `agent-${i % 3_000}`,
          timeMs: T0 + i,
          user: token('u', i),
          action: 'failed_logon',
          sourceIp: token('ip', i % 20_000),
        }),
      );
    // One source with more accounts, workstations and events than any list holds.
    for (let i = 0; i < 5_000; i += 1)
      views.push(
        loginView({
          id: `g${i}`,
          agentId: `agent-${i}`,
          timeMs: T0 + 60_000 + i,
          user: token('u', 100_000 + i),
          action: 'failed_logon',
          sourceIp: token('ip', 999_999),
        }),
      );
    tracker.observe(views, T0);
    expect(tracker.tracked('source_failed_logons')).toBe(500);
    expect(tracker.tracked('account_cross_host')).toBe(500);
    expect(tracker.evicted).toBeGreaterThan(50_000);
    const loud = tracker.takeChanged(T0).find((e) => e.subject === token('ip', 999_999))!;
    expect(loud.accounts.size).toBe(256);
    expect(loud.workstations.size).toBe(256);
    expect(loud.evidence).toHaveLength(200);
    expect(loud.evidenceCount).toBe(5_000);
    expect(loud.failures).toBe(5_000);
  });
});
