// A token bucket per agent: `eventBurst` events at once, refilled at
// `eventsPerSecond`. A batch takes as many tokens as it holds events, or none.
// Only authenticated agents reach it, so the map is as large as the fleet.
export interface RateSettings {
  eventsPerSecond: number;
  eventBurst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class EventRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly settings: RateSettings) {}

  /** Takes `events` tokens at `now` when the bucket holds them; false (nothing taken) otherwise. */
  take(agentId: string, events: number, now: number): boolean {
    const { eventsPerSecond, eventBurst } = this.settings;
    const bucket = this.buckets.get(agentId) ?? { tokens: eventBurst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(eventBurst, bucket.tokens + (elapsed * eventsPerSecond) / 1_000);
    bucket.at = now;
    this.buckets.set(agentId, bucket);
    if (events > bucket.tokens) return false;
    bucket.tokens -= events;
    return true;
  }
}
