// First-time and rarity evidence (issue #10, item 2). "Did this user do X in a
// window?" is a Bernoulli per user; its rate is estimated with a Beta prior
// centred on their peer group's (role) rate, so a user with little history
// borrows their peers' and one who does X every day (imaging staff and USB) gets
// little surprise:
//   P(X | user) = (k + a·p_peer) / (n + a),   p_peer = (K + 1) / (N + 2),
// where k of the user's n past windows had X, K of their peer group's N (the
// fleet's while the group is small). The evidence is the surprise −log2 P in
// bits, only in windows where X happens. Slow
// behaviour adds up through decayed sums (half-life RARITY_HALF_LIFE_MS), so
// theft spread over a week is seen although each day looks small.

/** The first-time events tracked, in the order of their features. */
export const RARE_EVENTS = [
  'removable',
  'offhours',
  'new_host',
  'new_program',
  'new_phi_folder',
  'unit_foreign_phi',
  'removable_phi_type',
  'foreign_folder_return',
  'copy_folder_return',
  'sync_copy',
] as const;
export type RareEvent = (typeof RARE_EVENTS)[number];

/** Weight of the prior, in windows: after ~4 windows a user's own rate dominates. */
export const PRIOR_WINDOWS = 4;
/**
 * The prior is the user's peer group's (role) rate once the group has this many (decayed) windows,
 * else the fleet's: an IT technician's first USB stick is less surprising than a nurse's.
 */
export const PEER_PRIOR_MIN_WINDOWS = 30;
/** Roles whose rates are kept (the role is a field of hostile input): bounds the memory. */
export const MAX_ROLES = 1_000;
/** Surprise is capped (a 1-in-4096 event already says all it can). */
export const MAX_SURPRISE_BITS = 12;
export const RARITY_HALF_LIFE_MS = 2 * 86_400_000;
/**
 * The counts behind the rates forget with this half-life. Without it a user's first days, when
 * every workstation and patient folder is new, kept "new folder" likely for good (another unit's
 * charts scored 2–3 bits), and a "never" grew rarer with every window, so the later scored windows
 * were more surprising than the held-out ones the alert budget was calibrated on.
 */
export const RARE_RATE_HALF_LIFE_MS = 14 * 86_400_000;

/** Counts of windows with each rare event (decayed with time): per user, and the same for the fleet. */
export class RareEventCounts {
  readonly withEvent = new Float64Array(RARE_EVENTS.length);
  windows = 0;
  private at = -Infinity;

  /** Counts a window; `time` (its start) decays the earlier counts first (never forward from a late window). */
  add(happened: readonly boolean[], time?: number): void {
    if (time !== undefined) {
      if (Number.isFinite(this.at) && time > this.at) {
        const factor = 2 ** (-(time - this.at) / RARE_RATE_HALF_LIFE_MS);
        this.windows *= factor;
        for (let i = 0; i < this.withEvent.length; i++) this.withEvent[i] *= factor;
      }
      if (time > this.at) this.at = time;
    }
    this.windows += 1;
    happened.forEach((h, i) => {
      if (h) this.withEvent[i] += 1;
    });
  }

  /** Laplace-smoothed rate (the prior's centre for the fleet). */
  rate(i: number): number {
    return (this.withEvent[i] + 1) / (this.windows + 2);
  }
}

/** −log2 of the Beta-smoothed probability that this user's window has event i. */
export function surpriseBits(user: RareEventCounts, prior: RareEventCounts, i: number): number {
  const p = (user.withEvent[i] + PRIOR_WINDOWS * prior.rate(i)) / (user.windows + PRIOR_WINDOWS);
  return Math.min(MAX_SURPRISE_BITS, Math.max(0, -Math.log2(p)));
}

/** An exponentially decayed sum per user: what the last few days add up to. */
export class DecayedSums {
  readonly sums: Float64Array;
  private at = -Infinity;

  constructor(size: number) {
    this.sums = new Float64Array(size);
  }

  /** Decays to `time` (never forward from a late window) and adds `values`; returns the sums. */
  add(time: number, values: readonly number[]): Float64Array {
    if (Number.isFinite(this.at) && time > this.at) {
      const factor = 2 ** (-(time - this.at) / RARITY_HALF_LIFE_MS);
      for (let i = 0; i < this.sums.length; i++) this.sums[i] *= factor;
    }
    if (time > this.at) this.at = time;
    values.forEach((v, i) => (this.sums[i] += v));
    return this.sums;
  }
}
