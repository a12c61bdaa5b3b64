import { AgentStatus } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { DropCounter } from '../outbox/drop-counter';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent, loginEvent } from '../outbox/test-events.fixture';
import type { WatchdogState } from '../watchdog/watchdog';
import { StatusTracker } from './status-tracker';

describe('StatusTracker', () => {
  it('reports drops by reason and class and the watchdog state in the local API shape', () => {
    const drops = new DropCounter();
    const outbox = new MemoryOutbox({ capacity: 1, firstSequence: 1, drops });
    drops.count('rate_limit', 'low', fileEvent('a'));
    outbox.push(loginEvent('b'));
    outbox.push(loginEvent('c')); // full: the older failed logon goes
    let watchdog: WatchdogState = {
      throttled: true,
      since: 5,
      reason: 'cpu 37.4% > 25%',
      last: { cpuPercent: 37.4, rssBytes: 1_000 },
      throttleCount: 1,
    };
    const tracker = new StatusTracker({
      version: '1',
      managerAddress: 'm:1',
      outboxStats: () => outbox.stats(),
      watchdog: () => watchdog,
      now: () => 1,
    });
    const status = AgentStatus.parse(tracker.snapshot());
    expect(status.counts).toEqual({
      collected: 0,
      sent: 0,
      queued: 1,
      dropped: 2,
      droppedByReason: { 'rate_limit.low.file': 1, 'queue_full.high.login': 1 },
    });
    expect(status.watchdog).toEqual({
      throttled: true,
      reason: 'cpu 37.4% > 25%',
      since: 5,
      cpuPercent: 37.4,
      rssBytes: 1_000,
    });
    watchdog = { ...watchdog, throttled: false, since: null, reason: null };
    expect(AgentStatus.parse(tracker.snapshot()).watchdog?.throttled).toBe(false);
  });

  it('reports the certificate expiry and renewal state, and leaves it out when nothing tracks it', () => {
    const certificate = {
      notAfter: 9_000,
      renewAt: 6_000,
      renewal: 'retrying' as const,
      lastRenewedAt: null,
      lastError: 'the manager is busy',
    };
    const outbox = new MemoryOutbox({ capacity: 1, firstSequence: 1 });
    const tracker = new StatusTracker({
      version: '1',
      managerAddress: 'm:1',
      outboxStats: () => outbox.stats(),
      certificate: () => certificate,
    });
    expect(AgentStatus.parse(tracker.snapshot()).certificate).toEqual(certificate);
    const without = new StatusTracker({ version: '1', managerAddress: 'm:1', outboxStats: () => outbox.stats() });
    expect(AgentStatus.parse(without.snapshot())).not.toHaveProperty('certificate');
  });

  it("reports the reads collector's counts as they were when asked, and none where it does not run", () => {
    const outbox = new MemoryOutbox({ capacity: 1, firstSequence: 1 });
    const counts = { seen: 9, reported: 5, repeated: 2, unattended: 1, ignoredExecutable: 1, overLimit: 0 };
    const tracker = new StatusTracker({ version: '1', managerAddress: 'm:1', outboxStats: () => outbox.stats() });
    expect(AgentStatus.parse(tracker.snapshot())).not.toHaveProperty('reads'); // not made yet, or reads off
    tracker.setReads(() => counts);
    const status = tracker.snapshot();
    counts.reported += 1;
    expect(status.reads).toEqual({
      seen: 9,
      reported: 5,
      repeated: 2,
      unattended: 1,
      ignoredExecutable: 1,
      overLimit: 0,
    });
  });

  it('shows every component, and the collectors among them in the older list', () => {
    const outbox = new MemoryOutbox({ capacity: 1, firstSequence: 1 });
    const tracker = new StatusTracker({
      version: '1',
      managerAddress: 'm:1',
      outboxStats: () => outbox.stats(),
      now: () => 9,
    });
    tracker.health.report('collector.files', 'running');
    tracker.health.report('collector.logins', 'failed', 'EACCES: /var/log/auth.log');
    tracker.health.report('local-api', 'failed', 'EADDRINUSE');
    const status = AgentStatus.parse(tracker.snapshot());
    expect(status.collectors).toEqual([
      { name: 'files', state: 'running', error: null },
      { name: 'logins', state: 'failed', error: 'EACCES: /var/log/auth.log' },
    ]);
    expect(status.components?.map((c) => [c.name, c.state, c.sinceMs])).toEqual([
      ['collector.files', 'running', 9],
      ['collector.logins', 'failed', 9],
      ['local-api', 'failed', 9],
    ]);
  });
});
