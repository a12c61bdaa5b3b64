import type { Heartbeat } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { readHeartbeatHealth } from './agent-health.schema';

type Beat = Heartbeat & { stats: NonNullable<Heartbeat['stats']> };

const heartbeat = (change: (h: Beat) => void = () => undefined): Beat => {
  const h: Beat = {
    timeMs: 1,
    stats: {
      eventsSent: 10,
      eventsDropped: 4,
      queueLength: 2,
      cpuPercent: 3.5,
      rssBytes: 70_000_000,
      droppedByReason: { 'rate_limit.low.file': 3, 'expired.low.process': 1 },
      outboxBytes: 4_096,
    },
    components: [
      { name: 'collector.files', state: 'running', message: '', sinceMs: 5 },
      { name: 'collector.logins', state: 'failed', message: 'EACCES: /var/log/auth.log', sinceMs: 6 },
    ],
  };
  change(h);
  return h;
};

const refusal = (h: Heartbeat) => {
  const read = readHeartbeatHealth(h);
  return read.ok ? 'stored' : read.reason;
};

describe('readHeartbeatHealth', () => {
  it('keeps a report within bounds as it came', () => {
    const read = readHeartbeatHealth(heartbeat());
    expect(read).toEqual({
      ok: true,
      health: {
        stats: {
          eventsSent: 10,
          eventsDropped: 4,
          queueLength: 2,
          cpuPercent: 3.5,
          rssBytes: 70_000_000,
          outboxBytes: 4_096,
        },
        droppedByReason: { 'rate_limit.low.file': 3, 'expired.low.process': 1 },
        components: heartbeat().components,
        reads: null,
      },
    });
  });

  it('keeps the reads counts of an agent that audits reads', () => {
    const reads = { seen: 50, reported: 20, repeated: 25, unattended: 3, ignoredExecutable: 2, overLimit: 0 };
    const read = readHeartbeatHealth(heartbeat((h) => (h.stats.reads = reads)));
    expect(read.ok && read.health.reads).toEqual(reads);
  });

  it('takes exactly 32 components and 32 drop reasons, names of 64 and messages of 256 characters', () => {
    const h = heartbeat((h) => {
      h.components = Array.from({ length: 32 }, (_, i) => ({
        name: `collector.${String(i).padStart(54, 'x')}`,
        state: 'failed',
        message: 'm'.repeat(256),
        sinceMs: i,
      }));
      h.stats.droppedByReason = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`${i}`.padStart(64, 'k'), i]));
    });
    expect(h.components[0]?.name).toHaveLength(64);
    expect(refusal(h)).toBe('stored');
  });

  it.each([
    [
      '33 components',
      (h: Beat) => {
        h.components = Array.from({ length: 33 }, (_, i) => ({
          name: `c${i}`,
          state: 'running',
          message: '',
          sinceMs: 1,
        }));
      },
      /33 components; at most 32/,
    ],
    [
      '33 drop reasons',
      (h: Beat) => {
        h.stats.droppedByReason = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`r${i}`, 1]));
      },
      /33 drop reasons; at most 32/,
    ],
    [
      'a component name of 65 characters',
      (h: Beat) => {
        h.components[0] = { name: 'n'.repeat(65), state: 'running', message: '', sinceMs: 1 };
      },
      /components\.0\.name/,
    ],
    [
      'a message of 257 characters',
      (h: Beat) => {
        h.components[1] = { name: 'collector.logins', state: 'failed', message: 'm'.repeat(257), sinceMs: 1 };
      },
      /components\.1\.message/,
    ],
    [
      'a state outside the three',
      (h: Beat) => {
        h.components[0] = { name: 'collector.files', state: '<b>ok</b>', message: '', sinceMs: 1 };
      },
      /components\.0\.state/,
    ],
    [
      'a drop key of 65 characters',
      (h: Beat) => {
        h.stats.droppedByReason = { ['k'.repeat(65)]: 1 };
      },
      /droppedByReason/,
    ],
    [
      'a count that is not finite',
      (h: Beat) => {
        h.stats.droppedByReason = { 'rate_limit.low.file': Number.POSITIVE_INFINITY };
      },
      /droppedByReason/,
    ],
    [
      'a negative count',
      (h: Beat) => {
        h.stats.queueLength = -1;
      },
      /stats\.queueLength/,
    ],
    [
      'a negative reads count',
      (h: Beat) => {
        h.stats.reads = { seen: 1, reported: -1, repeated: 0, unattended: 0, ignoredExecutable: 0, overLimit: 0 };
      },
      /reads\.reported/,
    ],
    [
      'a reads count past what a number holds exactly',
      (h: Beat) => {
        h.stats.reads = { seen: 2 ** 60, reported: 0, repeated: 0, unattended: 0, ignoredExecutable: 0, overLimit: 0 };
      },
      /reads\.seen/,
    ],
    [
      'a CPU share that is not a number',
      (h: Beat) => {
        h.stats.cpuPercent = Number.NaN;
      },
      /stats\.cpuPercent/,
    ],
    [
      'no stats',
      (h: Beat) => {
        delete (h as Partial<typeof h>).stats;
      },
      /no stats/,
    ],
  ])('refuses %s, saying why', (_name, change, reason) => {
    expect(refusal(heartbeat(change))).toMatch(reason);
  });

  it('cuts a hostile key in the reason it gives', () => {
    const h = heartbeat((h) => {
      h.stats.droppedByReason = { ['k'.repeat(10_000)]: 1 };
    });
    expect(refusal(h).length).toBeLessThan(200);
  });
});
