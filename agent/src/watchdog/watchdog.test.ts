import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { DropCounter } from '../outbox/drop-counter';
import { EventBudget } from '../outbox/event-budget';
import { ProcessStats, type ProcessSample } from './process-stats';
import { LoadSignal } from './load-signal';
import { loadSignalTarget, lowBudgetTarget } from './throttle-targets';
import { Watchdog } from './watchdog';

const MB = 1_048_576;

/** A sampler that returns the samples it is given, in order. */
class ScriptedSampler {
  constructor(private readonly samples: ProcessSample[]) {}
  sample(): ProcessSample {
    return this.samples.shift() ?? { cpuPercent: 0, rssBytes: 0 };
  }
}

function sut(samples: ProcessSample[]) {
  const logger = createMemoryLogger();
  const budget = new EventBudget(
    {
      low: { perSecond: 100, burstSeconds: 1 },
      normal: { perSecond: 100, burstSeconds: 1 },
      high: { perSecond: null, burstSeconds: 1 },
    },
    new DropCounter(),
  );
  const signal = new LoadSignal(4);
  const watchdog = new Watchdog({
    limits: { cpuPercent: 25, rssBytes: 200 * MB },
    sampler: new ScriptedSampler(samples),
    targets: [lowBudgetTarget(budget, 0.1), loadSignalTarget(signal)],
    logger,
    intervalMs: 1_000,
    overSamples: 2,
    underSamples: 3,
  });
  const messages = () => logger.lines.filter((l) => String(l.msg).startsWith('agent ')).map((l) => l.msg);
  return { watchdog, budget, signal, messages };
}

const ok = { cpuPercent: 5, rssBytes: 60 * MB };

describe('Watchdog', () => {
  it('throttles after two samples over the CPU limit, says why, and slows the low budget and polling', () => {
    const { watchdog, budget, signal, messages } = sut([
      { cpuPercent: 37, rssBytes: 60 * MB },
      { cpuPercent: 37.4, rssBytes: 60 * MB },
    ]);
    expect(watchdog.check().throttled).toBe(false); // one spike is not enough
    const state = watchdog.check();
    expect(state).toMatchObject({ throttled: true, reason: 'cpu 37.4% > 25%', throttleCount: 1 });
    expect(messages()).toEqual(['agent throttling: cpu 37.4% > 25%; low-value events limited, polling slowed']);
    expect(budget.lowFactor).toBe(0.1);
    expect(signal.intervalMs(1_000)).toBe(4_000);
  });

  it('throttles on memory as well, naming both limits when both are exceeded', () => {
    const { watchdog, messages } = sut([
      { cpuPercent: 30, rssBytes: 250 * MB },
      { cpuPercent: 30, rssBytes: 250 * MB },
    ]);
    watchdog.check();
    expect(watchdog.check().reason).toBe('cpu 30% > 25%, rss 250 MB > 200 MB');
    expect(messages()[0]).toContain('rss 250 MB > 200 MB');
  });

  it('recovers only after three samples in a row within the limits, and says so once', () => {
    const hot = { cpuPercent: 50, rssBytes: 60 * MB };
    const { watchdog, budget, signal, messages } = sut([hot, hot, ok, ok, hot, ok, ok, ok, ok]);
    for (let i = 0; i < 5; i++) watchdog.check();
    expect(watchdog.state().throttled).toBe(true); // two good samples were interrupted
    for (let i = 0; i < 2; i++) watchdog.check();
    expect(watchdog.state().throttled).toBe(true);
    watchdog.check();
    expect(watchdog.state().throttled).toBe(false);
    watchdog.check();
    expect(messages()).toEqual([
      'agent throttling: cpu 50% > 25%; low-value events limited, polling slowed',
      'agent recovered: cpu 5% <= 25%, rss 60 MB <= 200 MB; throttling lifted',
    ]);
    expect(budget.lowFactor).toBe(1);
    expect(signal.throttled).toBe(false);
  });

  it('never throttles while within its limits', () => {
    const { watchdog, messages } = sut(Array.from({ length: 20 }, () => ok));
    for (let i = 0; i < 20; i++) watchdog.check();
    expect(watchdog.state()).toMatchObject({ throttled: false, throttleCount: 0 });
    expect(messages()).toEqual([]);
  });
});

describe('Watchdog (live, on this process)', { timeout: 15_000 }, () => {
  it('notices real CPU load, throttles, and recovers when it stops', async () => {
    const logger = createMemoryLogger();
    const signal = new LoadSignal();
    // A fifth of a core: a busy loop uses nearly a whole one (less when the machine is
    // shared), an idle test worker a few percent.
    const watchdog = new Watchdog({
      limits: { cpuPercent: 20, rssBytes: 4_096 * MB },
      sampler: new ProcessStats(),
      targets: [loadSignalTarget(signal)],
      logger,
      intervalMs: 250,
      overSamples: 2,
      underSamples: 2,
    });
    watchdog.start();
    try {
      const busyUntil = Date.now() + 5_000;
      while (Date.now() < busyUntil && !signal.throttled) {
        const sliceEnd = Date.now() + 50;
        while (Date.now() < sliceEnd) Math.sqrt(Math.random());
        await new Promise((resolve) => setImmediate(resolve)); // let the watchdog's timer run
      }
      expect(signal.throttled).toBe(true);
      expect(String(logger.lines.find((l) => String(l.msg).startsWith('agent throttling'))?.msg)).toMatch(
        /^agent throttling: cpu [\d.]+% > 20%/,
      );
      const deadline = Date.now() + 5_000;
      while (signal.throttled && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(signal.throttled).toBe(false);
      expect(logger.lines.some((l) => String(l.msg).startsWith('agent recovered'))).toBe(true);
    } finally {
      watchdog.stop();
    }
  });
});
