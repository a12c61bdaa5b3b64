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
  /** Agents refused since their last admitted batch. */
  private readonly limited = new Set<string>();

  constructor(private readonly settings: RateSettings) {}

  /** Takes `events` tokens at `now` when the bucket holds them; false (nothing taken) otherwise. */
  take(agentId: string, events: number, now: number): boolean {
    const { eventsPerSecond, eventBurst } = this.settings;
    const bucket = this.buckets.get(agentId) ?? { tokens: eventBurst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(eventBurst, bucket.tokens + (elapsed * eventsPerSecond) / 1_000);
    bucket.at = now;
    this.buckets.set(agentId, bucket);
    if (events > bucket.tokens) {
      this.limited.add(agentId);
      return false;
    }
    bucket.tokens -= events;
    this.limited.delete(agentId);
    return true;
  }

  /**
   * Whether a new session of this agent may start: not while it was refused and its
   * bucket has not refilled a second's worth, so that a flood reconnecting at once
   * after each refusal is turned away before it sends a byte.
   */
  mayConnect(agentId: string, now: number): boolean {
    if (!this.limited.has(agentId)) return true;
    const { eventsPerSecond, eventBurst } = this.settings;
    const bucket = this.buckets.get(agentId);
    if (!bucket) return true;
    const tokens = Math.min(eventBurst, bucket.tokens + (Math.max(0, now - bucket.at) * eventsPerSecond) / 1_000);
    return tokens >= Math.min(eventBurst, eventsPerSecond);
  }
}
