// Holds the agent to its own CPU and memory limits. Every `intervalMs` it samples
// the process; after `overSamples` samples in a row over a limit it throttles
// (the budget's low class is scaled down, polling collectors are told to slow
// down through the LoadSignal) and says so in one log line; after
// `underSamples` samples in a row within both limits it lifts the throttle and
// says that too. It never drops high-priority events and never stops a collector.
import type { Logger } from '../logging/logger';
import type { ProcessSample } from './process-stats';

export interface ResourceSampler {
  /** CPU in percent of one core since the previous sample, and current RSS. */
  sample(): ProcessSample;
}

export interface WatchdogLimits {
  cpuPercent: number;
  rssBytes: number;
}

/** What the watchdog turns down while the agent is over its limits. */
export interface ThrottleTarget {
  setThrottled(throttled: boolean): void;
}

export interface WatchdogOptions {
  limits: WatchdogLimits;
  sampler: ResourceSampler;
  targets: readonly ThrottleTarget[];
  logger: Logger;
  intervalMs: number;
  overSamples?: number;
  underSamples?: number;
  now?: () => number;
}

export interface WatchdogState {
  throttled: boolean;
  since: number | null;
  /** Why it throttled, e.g. "cpu 37% > 25%"; null when not throttled. */
  reason: string | null;
  last: ProcessSample | null;
  throttleCount: number;
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576);
/** 37.4 → "37.4", 37 → "37": enough to see why 25.3 is over 25. */
const percent = (value: number) => String(Math.round(value * 10) / 10);

export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private over = 0;
  private under = 0;
  private readonly current: WatchdogState = {
    throttled: false,
    since: null,
    reason: null,
    last: null,
    throttleCount: 0,
  };
  private readonly now: () => number;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.options.sampler.sample(); // opens the first CPU window
    this.timer = setInterval(() => this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.current.throttled) this.apply(false);
  }

  state(): WatchdogState {
    return { ...this.current };
  }

  /** One sample and decision; the timer calls it, tests call it directly. */
  check(): WatchdogState {
    const sample = this.options.sampler.sample();
    this.current.last = sample;
    const breaches = this.breaches(sample);
    if (breaches.length > 0) {
      this.over += 1;
      this.under = 0;
      if (!this.current.throttled && this.over >= (this.options.overSamples ?? 2))
        this.throttle(breaches.join(', '), sample);
    } else {
      this.under += 1;
      this.over = 0;
      if (this.current.throttled && this.under >= (this.options.underSamples ?? 3)) this.recover(sample);
    }
    return this.state();
  }

  private breaches(sample: ProcessSample): string[] {
    const { cpuPercent, rssBytes } = this.options.limits;
    const found: string[] = [];
    if (sample.cpuPercent > cpuPercent) found.push(`cpu ${percent(sample.cpuPercent)}% > ${cpuPercent}%`);
    if (sample.rssBytes > rssBytes) found.push(`rss ${mb(sample.rssBytes)} MB > ${mb(rssBytes)} MB`);
    return found;
  }

  private throttle(reason: string, sample: ProcessSample): void {
    Object.assign(this.current, {
      throttled: true,
      since: this.now(),
      reason,
      throttleCount: this.current.throttleCount + 1,
    });
    this.apply(true);
    this.options.logger.warn(
      `agent throttling: ${reason}; low-value events limited, polling slowed`,
      this.fields(sample),
    );
  }

  private recover(sample: ProcessSample): void {
    const throttledForMs = this.now() - (this.current.since ?? this.now());
    Object.assign(this.current, { throttled: false, since: null, reason: null });
    this.apply(false);
    const { cpuPercent, rssBytes } = this.options.limits;
    this.options.logger.info(
      `agent recovered: cpu ${percent(sample.cpuPercent)}% <= ${cpuPercent}%, rss ${mb(sample.rssBytes)} MB <= ${mb(rssBytes)} MB; throttling lifted`,
      { ...this.fields(sample), throttledForMs },
    );
  }

  private apply(throttled: boolean): void {
    for (const target of this.options.targets) target.setThrottled(throttled);
  }

  private fields(sample: ProcessSample): Record<string, number> {
    return {
      cpuPercent: sample.cpuPercent,
      cpuLimitPercent: this.options.limits.cpuPercent,
      rssMb: mb(sample.rssBytes),
      rssLimitMb: mb(this.options.limits.rssBytes),
    };
  }
}
