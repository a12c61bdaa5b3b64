// What every polling collector (processes, devices, network) does the same way:
// one poll at a time, the next only after the last has ended, each one timed and
// counted, and a failed poll logged and survived (the next one may succeed).
// The wait before each poll is asked of a PollPace, so the watchdog's LoadSignal
// stretches it while the agent is over its limits and restores it afterwards;
// a change takes effect from the next wait on.

/** How long to wait before the next poll whose normal interval is `baseMs`. */
export interface PollPace {
  intervalMs(baseMs: number): number;
}

/** The pace of a collector nobody slows down: always the normal interval. */
export const steadyPace: PollPace = { intervalMs: (baseMs) => baseMs };

export interface PollStats {
  polls: number;
  pollErrors: number;
  /** Wall time of the last poll, in ms. */
  lastPollMs: number;
}

export type PollLog = (level: 'info' | 'warn', message: string) => void;

/** Runs one poll: counts it, times it, and turns a failure into a counted warning. */
export async function timedPoll(
  stats: PollStats,
  what: string,
  log: PollLog | undefined,
  body: () => Promise<void>,
): Promise<void> {
  const began = performance.now();
  try {
    await body();
    stats.polls += 1;
  } catch (error) {
    stats.pollErrors += 1;
    log?.('warn', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    stats.lastPollMs = performance.now() - began;
  }
}

/** Calls `poll` `pace.intervalMs(intervalMs)` after the previous call has ended, until stopped. */
export class PollTimer {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    private readonly intervalMs: number,
    private readonly poll: () => Promise<void>,
    private readonly pace: PollPace = steadyPace,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops the timer and waits for a poll in progress to end. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.poll().finally(() => this.schedule());
    }, this.pace.intervalMs(this.intervalMs));
  }
}
