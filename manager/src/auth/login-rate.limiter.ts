// Slows password guessing: after MAX_FAILURES failed sign-ins for one username
// from one address within the window, further attempts are refused until it passes.
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 10_000;

@Injectable()
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  retryAfterMs(username: string, ip: string): number {
    const recent = this.recent(this.key(username, ip));
    return recent.length >= MAX_FAILURES ? recent[0] + WINDOW_MS - this.clock.now() : 0;
  }

  recordFailure(username: string, ip: string): void {
    const key = this.key(username, ip);
    const recent = this.recent(key);
    recent.push(this.clock.now());
    if (!this.failures.has(key) && this.failures.size >= MAX_KEYS)
      this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(key, recent);
  }

  reset(username: string, ip: string): void {
    this.failures.delete(this.key(username, ip));
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - WINDOW_MS;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`;
  }
}
