/**
 * Why an agent gave events up: the `<reason>` of its drop keys (the agent's outbox/drop-counter.ts).
 * The manager names only these in its metrics; an agent may send anything.
 */
export const DROP_REASONS = [
  'rate_limit',
  'over_limit',
  'queue_full',
  'expired',
  'write_failed',
  'torn',
  'tampered',
] as const;
