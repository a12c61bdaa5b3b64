// How long an account waits after consecutive failed sign-ins: nothing for the first
// few (typos), then 1 s, 2 s, 4 s … doubling up to a cap. A pure function of the
// count, so the count alone (stored per account) says when the next attempt may come.

export interface BackoffPolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait after the `failures`-th consecutive failure; 0 while failures are free. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  // 2^30 s is far beyond any cap: no overflow, and the cap decides.
  return Math.min(policy.baseDelayMs * 2 ** Math.min(over - 1, 30), policy.maxDelayMs);
}

/** A failure count this old starts again from one: an account is not punished for last month. */
export const FAILURES_FORGOTTEN_AFTER_MS = 24 * 3_600_000;
