// Re-identification is for cases, not for browsing: each user gets at most
// MAX_REQUESTS requests (answered or refused) in a sliding window.
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

export const MAX_REQUESTS = 20;
export const WINDOW_MS = 60 * 60_000;

@Injectable()
export class ReidentificationRateLimiter {
  private readonly requests = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Counts this request; returns the milliseconds to wait when it is over the limit, else 0. */
  take(username: string): number {
    const now = this.clock.now();
    const recent = (this.requests.get(username) ?? []).filter((t) => t > now - WINDOW_MS);
    if (recent.length >= MAX_REQUESTS) {
      this.requests.set(username, recent);
      return recent[0] + WINDOW_MS - now;
    }
    recent.push(now);
    this.requests.set(username, recent);
    return 0;
  }
}
