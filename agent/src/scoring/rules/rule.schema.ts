// The rule file format (see agent/rules/README.md): a useful subset of Sigma's
// detection syntax over portable events, plus a count-within-timeframe
// aggregation for bursts. Validated with zod when loaded.
import { z } from 'zod';

export const RuleSeverity = z.enum(['low', 'medium', 'high', 'critical']);
export type RuleSeverity = z.infer<typeof RuleSeverity>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** field or field|modifier → one value or a list (any of them matches). */
export const Selection = z.record(
  z
    .string()
    .regex(
      /^[A-Za-z][\w]*(\|(contains|startswith|endswith|re|gte|lte|gt|lt))?$/,
      'expected "field" or "field|modifier" with modifier contains, startswith, endswith, re, gte, lte, gt or lt',
    ),
  z.union([Scalar, z.array(Scalar).min(1)]),
);
export type Selection = z.infer<typeof Selection>;

const Duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30s, 5m, 1h');

export const Threshold = z.object({
  /** Hit when at least this many matching events (or distinct values) fall within `within`. */
  count: z.number().int().min(2),
  within: Duration,
  /** Fields that split the counting, e.g. [user] or [sourceIp]. */
  groupBy: z.array(z.string()).min(1),
  /** Count distinct values of this field instead of events (e.g. users for a spray). */
  distinct: z.string().optional(),
});
export type Threshold = z.infer<typeof Threshold>;

export const RuleFile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    title: z.string().min(1),
    description: z.string().default(''),
    severity: RuleSeverity,
    detection: z.object({ condition: z.string().min(1), threshold: Threshold.optional() }).catchall(Selection),
    /** Plain-language reason; {count}, {within}, {group} and any event field are filled in. */
    reason: z.string().min(1),
    tags: z.array(z.string()).default([]),
  })
  .strict();
export type RuleFile = z.infer<typeof RuleFile>;

export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`bad duration ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
