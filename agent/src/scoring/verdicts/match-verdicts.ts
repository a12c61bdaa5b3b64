// Analysts' verdicts from the manager (ScoreVerdicts) → the windows they judge here. The manager
// knows a window by its start and the user's pseudonym; the agent finds the clear user whose
// pseudonym that is among the users of the windows it keeps (the agent's own pseudonymiser, as
// live/score-message.ts uses), and keeps the verdict only for a window it learned or still has
// open. Pure: what cannot be matched is counted, never an error (the manager sends the last
// 30 days again after each Hello, so one missed now is matched once its window is learned).
import { Verdict, type ScoreVerdict } from '@wardwatch/proto';
import { z } from 'zod';

/** A verdict the learning uses, by clear user and window start (verdicts.json). */
export interface WindowVerdict {
  scoreId: string;
  user: string;
  windowStart: number;
  verdict: DecisiveVerdict;
  decidedAt: number;
}

/** The verdicts an analyst can give; UNSPECIFIED (or one this agent does not know) is dropped. */
export type DecisiveVerdict = Exclude<Verdict, typeof Verdict.VERDICT_UNSPECIFIED | typeof Verdict.UNRECOGNIZED>;

export const isDecisive = (verdict: Verdict): verdict is DecisiveVerdict =>
  verdict === Verdict.VERDICT_TRUE_POSITIVE ||
  verdict === Verdict.VERDICT_FALSE_POSITIVE ||
  verdict === Verdict.VERDICT_BENIGN;

/** Verdicts read from one message at most; the manager sends 500 (counted beyond, not read). */
export const MAX_VERDICTS_PER_MESSAGE = 1_000;

/** The bounds of one verdict from the wire (the proto decoder gave the shape). */
const WireVerdict = z.object({
  scoreId: z.string().max(128),
  windowStartMs: z.number().int().nonnegative(),
  user: z.string().min(1).max(512),
  verdict: z.custom<DecisiveVerdict>((v) => typeof v === 'number' && isDecisive(v as Verdict)),
  decidedAtMs: z.number().int().nonnegative(),
});

export interface VerdictMatch {
  matched: WindowVerdict[];
  /** Out of bounds, or a verdict this agent does not know. */
  invalid: number;
  /** Windows before the history kept: nothing left to learn or withhold. */
  tooOld: number;
  /** No window kept here for that user and start. */
  unknown: number;
}

export interface KnownWindows {
  /** Clear users of the windows kept. */
  users(): Iterable<string>;
  /** Whether the user has a window starting then (learned, or open now). */
  has(user: string, start: number): boolean;
}

export function matchVerdicts(
  verdicts: readonly ScoreVerdict[],
  known: KnownWindows,
  pseudonymOf: (user: string) => string,
  keepFrom: number,
): VerdictMatch {
  const outcome: VerdictMatch = { matched: [], invalid: 0, tooOld: 0, unknown: 0 };
  outcome.invalid += Math.max(0, verdicts.length - MAX_VERDICTS_PER_MESSAGE);
  let byPseudonym: Map<string, string> | undefined;
  for (const verdict of verdicts.slice(0, MAX_VERDICTS_PER_MESSAGE)) {
    const parsed = WireVerdict.safeParse(verdict);
    if (!parsed.success) {
      outcome.invalid += 1;
      continue;
    }
    const { scoreId, windowStartMs, user, decidedAtMs } = parsed.data;
    if (windowStartMs < keepFrom) {
      outcome.tooOld += 1;
      continue;
    }
    // Each user pseudonymised once per message, and only when a verdict needs it.
    byPseudonym ??= pseudonymsOf(known.users(), pseudonymOf);
    const clear = byPseudonym.get(user);
    if (clear === undefined || !known.has(clear, windowStartMs)) {
      outcome.unknown += 1;
      continue;
    }
    outcome.matched.push({
      scoreId,
      user: clear,
      windowStart: windowStartMs,
      verdict: parsed.data.verdict,
      decidedAt: decidedAtMs,
    });
  }
  return outcome;
}

function pseudonymsOf(users: Iterable<string>, pseudonymOf: (user: string) => string): Map<string, string> {
  const map = new Map<string, string>();
  for (const user of users) {
    // '' is a value without its token yet (OPRF mode): it names no one.
    const pseudonym = pseudonymOf(user);
    if (pseudonym !== '') map.set(pseudonym, user);
  }
  return map;
}
