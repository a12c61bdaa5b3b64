// The watchdog's throttle reaches the polling collectors: wired as run-agent.ts wires it
// (Watchdog → loadSignalTarget → LoadSignal → a collector's PollTimer), measured on real
// timers. Only lower bounds are tight (a timer never fires much early); the test waits for
// a number of polls rather than a time, and its upper bounds (medians under half the
// throttled interval) leave room for a busy machine while a pace that is ignored, or
// never restored, still fails.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventSink } from '../collectors/collector';
import type { ConnectionSnapshot, ConnectionSource } from '../collectors/network/connection-source';
import { NetworkCollector } from '../collectors/network/network-collector';
import { createMemoryLogger } from '../logging/logger';
import type { ProcessSample } from '../watchdog/process-stats';
import { LoadSignal } from '../watchdog/load-signal';
import { loadSignalTarget } from '../watchdog/throttle-targets';
import { Watchdog } from '../watchdog/watchdog';

const BASE_MS = 30;
const SLOWDOWN = 5;
const MB = 1_048_576;

/** Answers at once and remembers when each poll came. */
class ClockedSource implements ConnectionSource {
  readonly name = 'clocked';
  readonly polls: number[] = [];
  snapshot(): Promise<ConnectionSnapshot> {
    this.polls.push(performance.now());
    return Promise.resolve({ connections: [], parseErrors: [] });
  }
}

const nullSink: EventSink = { emit: () => undefined, parseError: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Gaps between polls that both came after `from`: their wait was scheduled under the pace of then. */
function gapsAfter(polls: readonly number[], from: number, until = Number.POSITIVE_INFINITY): number[] {
  const within = polls.filter((t) => t >= from && t <= until);
  return within.slice(1).map((t, i) => t - within[i]);
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('watchdog throttle → polling collectors', { timeout: 10_000 }, () => {
  it('polls every 30 ms, every 150 ms while throttled, and every 30 ms again after recovery', async () => {
    const hot: ProcessSample = { cpuPercent: 90, rssBytes: 60 * MB };
    const ok: ProcessSample = { cpuPercent: 2, rssBytes: 60 * MB };
    const samples = [hot, hot, ok, ok, ok];
    const signal = new LoadSignal(SLOWDOWN);
    const watchdog = new Watchdog({
      limits: { cpuPercent: 25, rssBytes: 200 * MB },
      sampler: { sample: () => samples.shift() ?? ok },
      targets: [loadSignalTarget(signal)],
      logger: createMemoryLogger(),
      intervalMs: 60_000, // stepped by hand below
      overSamples: 2,
      underSamples: 3,
    });
    const source = new ClockedSource();
    const collector = new NetworkCollector({ source, pollMs: BASE_MS, dedupMs: 0, pace: signal });
    await collector.start(nullSink);
    stop = () => collector.stop();

    /** Waits until `count` polls have come since `from` (a busy machine only makes this slower). */
    const pollsSince = async (from: number, count: number) => {
      const deadline = performance.now() + 5_000;
      while (source.polls.filter((t) => t >= from).length < count && performance.now() < deadline) await sleep(10);
    };

    const began = performance.now();
    await pollsSince(began, 6);
    watchdog.check();
    watchdog.check();
    expect(signal.throttled).toBe(true);
    const throttledAt = performance.now();
    await pollsSince(throttledAt, 5);
    for (let i = 0; i < 3; i++) watchdog.check();
    expect(signal.throttled).toBe(false);
    const recoveredAt = performance.now();
    await pollsSince(recoveredAt, 6);

    const before = gapsAfter(source.polls, began, throttledAt);
    const throttled = gapsAfter(source.polls, throttledAt, recoveredAt);
    const after = gapsAfter(source.polls, recoveredAt);
    // Normal pace: never early, and typically near 30 ms — well under the throttled 150 ms.
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...before)).toBeGreaterThanOrEqual(BASE_MS - 2);
    expect(median(before)).toBeLessThan((BASE_MS * SLOWDOWN) / 2);
    // Throttled: every wait scheduled after the throttle is five times as long.
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...throttled)).toBeGreaterThanOrEqual(BASE_MS * SLOWDOWN - 2);
    // Recovered: back to the normal pace.
    expect(after.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(BASE_MS - 2);
    expect(median(after)).toBeLessThan((BASE_MS * SLOWDOWN) / 2);
  });
});
