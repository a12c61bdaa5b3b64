// The breach-notification clock of 45 CFR §164.404: notice without unreasonable delay
// and at the latest 60 calendar days after discovery. WardWatch dates discovery at the
// alert's (or incident's) creation: the first moment the organisation knew, or by
// exercising reasonable diligence would have known (§164.404(a)(2)). An acknowledgement
// comes later and is shown beside it, but never moves the deadline later. Whether the
// event is a reportable breach is the privacy officer's call; triage closing it as a
// false positive or benign stops the clock.
import { BREACH_NOTIFICATION_DAYS, type AlertVerdict, type BreachClock } from '@wardwatch/shared';

const DAY_MS = 86_400_000;

export interface ClockInput {
  discoveredAt: number;
  discoveredBy: BreachClock['discoveredBy'];
  acknowledgedAt: number | null;
  verdict: AlertVerdict | null;
  now: number;
}

export function breachClock(input: ClockInput): BreachClock {
  const deadlineAt = input.discoveredAt + BREACH_NOTIFICATION_DAYS * DAY_MS;
  // Whole days left, rounded up: with 1 ms left it is still "1 day", at the deadline 0.
  const daysRemaining = Math.ceil((deadlineAt - input.now) / DAY_MS);
  const notABreach = input.verdict === 'false_positive' || input.verdict === 'benign';
  return {
    discoveredAt: input.discoveredAt,
    discoveredBy: input.discoveredBy,
    acknowledgedAt: input.acknowledgedAt,
    deadlineAt,
    daysRemaining,
    state: notABreach ? 'not_a_breach' : input.now > deadlineAt ? 'overdue' : 'running',
  };
}
