import { describe, expect, it } from 'vitest';
import { DROP_KEY_MAX, fitDrops, heartbeatStats, MAX_DROP_KEYS, OTHER_DROPS } from './heartbeat-stats';

describe('heartbeatStats', () => {
  it('carries the drops by reason and the bytes the outbox holds', () => {
    const stats = heartbeatStats(
      {
        queued: 4,
        inFlightBatches: 1,
        sent: 10,
        dropped: 3,
        droppedByReason: { 'rate_limit.low.file': 2, 'expired.low.process': 1 },
        storedBytes: 8_192,
        lastSequence: 13,
      },
      { cpuPercent: 1.5, rssBytes: 100 },
    );
    expect(stats).toEqual({
      eventsSent: 10,
      eventsDropped: 3,
      queueLength: 4,
      droppedByReason: { 'rate_limit.low.file': 2, 'expired.low.process': 1 },
      outboxBytes: 8_192,
      cpuPercent: 1.5,
      rssBytes: 100,
    });
  });

  it('carries the reads counts where reads are audited, and none elsewhere', () => {
    const outbox = { queued: 0, inFlightBatches: 0, sent: 0, dropped: 0, droppedByReason: {}, lastSequence: 0 };
    const process = { cpuPercent: 0, rssBytes: 0 };
    const reads = { seen: 40, reported: 12, repeated: 20, unattended: 5, ignoredExecutable: 2, overLimit: 1 };
    expect(heartbeatStats(outbox, process, reads).reads).toEqual(reads);
    expect(heartbeatStats(outbox, process)).not.toHaveProperty('reads');
  });

  it('fits a map over the bounds by summing the smallest counts under "other", losing none', () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < 40; i++) many[`queue_full.low.c${i}`] = i + 1;
    many['x'.repeat(DROP_KEY_MAX + 1)] = 1_000;
    const fitted = fitDrops(many);
    expect(Object.keys(fitted)).toHaveLength(MAX_DROP_KEYS);
    expect(Object.keys(fitted).every((key) => key.length <= DROP_KEY_MAX)).toBe(true);
    const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    expect(total(fitted)).toBe(total(many));
    expect(fitted['queue_full.low.c39']).toBe(40);
    expect(fitted['queue_full.low.c0']).toBeUndefined();
    expect(fitted[OTHER_DROPS]).toBe(1_000 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
  });
});
