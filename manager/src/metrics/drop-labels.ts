// Agents report what they dropped as `reason.class.category` keys (see the agent's
// outbox/drop-counter.ts). An agent may be hostile, so only names we know become
// label values; anything else is `other`, which keeps the number of series fixed.
import { DROP_REASONS } from '@wardwatch/shared';

const REASONS = new Set<string>(DROP_REASONS);
const CLASSES = new Set(['low', 'normal', 'high', 'unknown']);
const CATEGORIES = new Set(['file', 'login', 'process', 'device', 'network', 'unknown']);

/** A single report's count is clamped to this, so a forged huge number cannot break the counter's arithmetic. */
export const MAX_DROPS_PER_REPORT = 10_000_000;

export interface DropLabels {
  reason: string;
  class: string;
  category: string;
}

export function dropLabels(key: string): DropLabels {
  const [reason = '', klass = '', category = '', ...rest] = key.split('.');
  const known = rest.length === 0;
  return {
    reason: known && REASONS.has(reason) ? reason : 'other',
    class: known && CLASSES.has(klass) ? klass : 'other',
    category: known && CATEGORIES.has(category) ? category : 'other',
  };
}

/** A reported count as a whole number we can add, or 0 when it is not one. */
export function dropCount(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), MAX_DROPS_PER_REPORT);
}
