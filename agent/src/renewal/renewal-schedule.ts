// When to renew the agent's certificate: at two thirds of its lifetime, so that a
// manager that is down for a while (up to a third of the lifetime) still gets asked
// in time. Pure arithmetic over epoch milliseconds, unit-tested on its own.

export interface CertificateValidity {
  notBefore: number;
  notAfter: number;
}

/** Node's timers hold at most 2^31-1 ms (~24.8 days); a longer wait is taken in steps. */
export const MAX_TIMER_MS = 2_147_483_647;
/** The longest single wait: the schedule is looked at again at least daily. */
export const MAX_WAIT_MS = 86_400_000;

/** notBefore + 2/3 · (notAfter − notBefore). */
export function renewalDueAt(validity: CertificateValidity): number {
  return validity.notBefore + Math.floor(((validity.notAfter - validity.notBefore) * 2) / 3);
}

export type NextStep = { kind: 'wait'; ms: number } | { kind: 'renew' } | { kind: 'expired' };

/** What to do at `now`: wait (at most a day at a time), renew now, or give up (expired). */
export function nextStep(validity: CertificateValidity, now: number): NextStep {
  if (now >= validity.notAfter) return { kind: 'expired' };
  const due = renewalDueAt(validity);
  if (now >= due) return { kind: 'renew' };
  return { kind: 'wait', ms: Math.min(due - now, MAX_WAIT_MS) };
}

/**
 * The wait before another attempt after a failure: the backoff's delay, but never
 * past the certificate's expiry (one last attempt shortly before it), and at least
 * `minMs` so a failing manager is not hammered.
 */
export function retryDelay(backoffMs: number, validity: CertificateValidity, now: number, minMs = 1_000): number {
  const beforeExpiry = validity.notAfter - now - minMs;
  return Math.max(minMs, Math.min(backoffMs, beforeExpiry, MAX_WAIT_MS));
}
