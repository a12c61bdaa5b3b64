// The hook low-priority polling collectors read to back off while the agent is
// over its limits: they ask `intervalMs(base)` before scheduling the next poll
// instead of keeping a fixed timer. Set only by the watchdog.
export class LoadSignal {
  private on = false;

  /** How much longer a polling collector waits between polls while throttled. */
  constructor(readonly slowdown = 4) {}

  get throttled(): boolean {
    return this.on;
  }

  set(throttled: boolean): void {
    this.on = throttled;
  }

  /** The interval to wait now for a poll whose normal interval is `baseMs`. */
  intervalMs(baseMs: number): number {
    return this.on ? baseMs * this.slowdown : baseMs;
  }
}
