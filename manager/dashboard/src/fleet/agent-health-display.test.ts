import type { AgentHealthView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import {
  allDrops,
  componentSummary,
  dropSummary,
  failedComponents,
  formatBytes,
  readsText,
} from './agent-health-display';

const health = (change: Partial<AgentHealthView> = {}): AgentHealthView => ({
  reportedAt: 1,
  eventsSent: 100,
  eventsDropped: 0,
  queueLength: 0,
  outboxBytes: 0,
  cpuPercent: 1,
  rssBytes: 1,
  droppedByReason: {},
  components: [],
  ...change,
});

describe('agent health display', () => {
  it('lists the failed components and sums the others', () => {
    const h = health({
      components: [
        { name: 'collector.files', state: 'running', message: '', sinceMs: 1 },
        { name: 'local-api', state: 'failed', message: 'EADDRINUSE', sinceMs: 2 },
        { name: 'scoring', state: 'stopped', message: '', sinceMs: 3 },
      ],
    });
    expect(failedComponents(h).map((c) => c.name)).toEqual(['local-api']);
    expect(componentSummary(h)).toBe('1 running, 1 stopped');
    expect(componentSummary(health())).toBe('none reported');
  });

  it('shows the largest drop reasons first and the rest as more', () => {
    const summary = dropSummary(
      health({
        eventsDropped: 20,
        droppedByReason: { 'queue_full.low.file': 3, 'rate_limit.high.file': 10, 'expired.low.process': 4, other: 2 },
      }),
    );
    expect(summary).toEqual({
      total: 20,
      top: [
        { reason: 'rate_limit.high.file', count: 10 },
        { reason: 'expired.low.process', count: 4 },
        { reason: 'queue_full.low.file', count: 3 },
      ],
      more: 3,
    });
    expect(dropSummary(health()).total).toBe(0);
  });

  it('formats outbox bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(65_536)).toBe('64 KiB');
    expect(formatBytes(1_572_864)).toBe('1.5 MiB');
  });

  it('lists every drop reason with events, largest first', () => {
    const h = health({ droppedByReason: { b: 2, a: 2, z: 9, none: 0, c: 1, d: 1 } });
    expect(allDrops(h).map((d) => d.reason)).toEqual(['z', 'a', 'b', 'c', 'd']);
  });

  it('says whether reads are audited, why not, and what was counted', () => {
    const reads = {
      seen: 12_400,
      reported: 3_100,
      repeated: 9_000,
      unattended: 200,
      ignoredExecutable: 100,
      overLimit: 0,
    };
    const running = [
      { name: 'collector.reads', state: 'running' as const, message: '', sinceMs: 1 },
      { name: 'collector.reads.rule', state: 'running' as const, message: '', sinceMs: 1 },
    ];
    expect(readsText(health({ components: running, reads }))).toBe('audited · 3,100 reported of 12,400 seen');
    const stopped = [
      {
        name: 'collector.reads',
        state: 'stopped' as const,
        message: 'reads off in the config',
        sinceMs: 1,
      },
    ];
    expect(readsText(health({ components: stopped, reads: null }))).toBe('not audited · reads off in the config');
    expect(readsText(null)).toBe('not known · no heartbeat yet');
  });
});
