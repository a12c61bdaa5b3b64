// The pace the polling collectors keep (processes, devices, network, open
// sessions: every PollTimer the registry builds): they ask `intervalMs(base)`
// before scheduling each poll, so while the agent is over its limits they wait
// `slowdown` times longer, and the normal interval returns with the first wait
// after recovery.
// Set only by the watchdog (through `loadSignalTarget`).
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
