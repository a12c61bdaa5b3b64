// At most `perMinute` automatic actions on this workstation in any sliding minute: a
// playbook gone wrong (or a stolen manager) cannot lock and kill without end here.
export class LocalCap {
  private readonly times: number[] = [];

  constructor(private readonly perMinute: number) {}

  /** True (and counted) when one more automatic action fits in the last minute. */
  take(now: number): boolean {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - 60_000) this.times.shift();
    if (this.times.length >= this.perMinute) return false;
    this.times.push(now);
    return true;
  }
}
