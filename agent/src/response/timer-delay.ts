// setTimeout fires at once for a delay past 2^31 − 1 ms (about 24.8 days). Delays are
// clamped below it, so a long one fires early instead of at once (an undo expiry then
// re-arms; warnings and periods are far shorter).
const MAX_TIMER_MS = 2_147_000_000;

/** A delay setTimeout keeps: never negative, never past its 32-bit limit. */
export function clampDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}
