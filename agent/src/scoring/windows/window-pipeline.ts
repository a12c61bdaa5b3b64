// One path from portable events to scored windows, used by the offline CLI, the
// evaluation and the live scorer: events go through the feature extractor and
// the rule engine; each closed window is scored with the rule hits of its user
// that fell inside it. Late events (before the current window, within the
// extractor's `lateWindowMs`) are scored in windows of their own, which close
// when the live timer finds them idle; their rule hits wait for them. Each
// window also carries its sessions' owner match (identity/), judged before the
// sessions are learned.
import {
  FeatureExtractor,
  type FeatureExtractorOptions,
  type FeatureWindow,
  type PortableEvent,
} from '@wardwatch/shared/agent';
import { IdentityTracker } from '../identity/identity-tracker';
import type { RiskModel, ScoreResult, ScoringWindow } from '../model/risk-model';
import { RuleEngine, type RuleHit } from '../rules/rule-engine';
import type { RuleFile } from '../rules/rule.schema';

export class WindowPipeline {
  readonly extractor: FeatureExtractor;
  readonly rules: RuleEngine;
  readonly identity: IdentityTracker;
  private readonly pendingHits = new Map<string, RuleHit[]>();
  /** Closed windows to learn from (while no model is set; with `keepLearning`, scored ones too), with their rule hits and whether they alerted. */
  readonly learned: LearnedWindow[] = [];
  model: RiskModel | null = null;
  /** Rule hits of the last observed event. */
  lastHits: RuleHit[] = [];

  /** Keep closed windows in `learned` even while scoring (live use retrains from them). */
  keepLearning = false;

  constructor(rules: readonly RuleFile[], options: FeatureExtractorOptions = {}) {
    this.extractor = new FeatureExtractor(options);
    this.rules = new RuleEngine(rules);
    this.identity = new IdentityTracker(options);
  }

  /** Adds an event; returns scores of windows it closed (none while learning). */
  observe(event: PortableEvent): ScoreResult[] {
    const closed = this.extractor.push(event);
    // The extractor decides the window (each user's day begins at their own hour); sessions follow it.
    this.identity.observe(event, this.extractor.lastWindowStart ?? null);
    this.lastHits = this.rules.observe(event);
    for (const hit of this.lastHits) {
      for (const user of hit.users) {
        const list = this.pendingHits.get(user);
        if (list) list.push(hit);
        else this.pendingHits.set(user, [hit]);
      }
    }
    return closed.length ? this.handle(closed) : [];
  }

  flush(): ScoreResult[] {
    return this.handle(this.extractor.flush());
  }

  /** Scores the windows that have ended by `time` and the late windows no event came to since the last call (live timer). */
  advanceTo(time: number): ScoreResult[] {
    const closed = [...this.extractor.closeIdleLate(), ...this.extractor.advanceTo(time)];
    return closed.length ? this.handle(closed) : [];
  }

  /** Closes every late window now, as learned history even while a model is set (a replay: scored before). */
  learnLate(): void {
    for (const window of this.extractor.closeAllLate())
      this.learned.push({ window: this.withIdentity(window), hits: this.takeHits(window) });
  }

  /** A snapshot of the user's open window with its sessions' owner match so far (an early score on a rule hit). */
  peek(user: string): ScoringWindow | undefined {
    const open = this.extractor.peek(user);
    return open && { ...open, identity: this.identity.peek(open) };
  }

  /** Users with rule hits waiting for their window: an alert (a partial score) may name that open window. */
  usersWithPendingHits(): IterableIterator<string> {
    return this.pendingHits.keys();
  }

  /** Rule hits waiting for their user's window to close (for immediate alerts). */
  pending(user: string): readonly RuleHit[] {
    return this.pendingHits.get(user) ?? [];
  }

  private handle(windows: FeatureWindow[]): ScoreResult[] {
    const results: ScoreResult[] = [];
    for (const closed of windows) {
      const window = this.withIdentity(closed);
      const hits = this.takeHits(window);
      const result = this.model?.score(window, hits);
      if (result) results.push(result);
      if (!result || this.keepLearning) this.learned.push({ window, hits, alerted: result?.alert });
    }
    return results;
  }

  private takeHits(window: FeatureWindow): RuleHit[] {
    const all = this.pendingHits.get(window.user);
    if (!all) return [];
    const inside = (h: RuleHit) => h.time >= window.start && h.time < window.end;
    // Earlier hits wait while a late window may still take them; older ones can never be scored.
    const limit = this.extractor.lateLimit();
    const kept = all.filter((h) => !inside(h) && (h.time >= window.end || h.time >= limit));
    if (kept.length) this.pendingHits.set(window.user, kept);
    else this.pendingHits.delete(window.user);
    return all.filter(inside);
  }

  private withIdentity(window: FeatureWindow): ScoringWindow {
    const identity = this.identity.close(window);
    return identity ? Object.assign(window, { identity }) : window;
  }
}

export interface LearnedWindow {
  window: ScoringWindow;
  hits: RuleHit[];
  /** Whether it alerted when it closed; absent if it closed before there was a model. */
  alerted?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * A scored window is learned once it is a week old: a case still unfolding (a leaver's gradual
 * download, a snooper's quiet days) is compared with the time before it, not with its own first
 * days that did not alert. Windows closed before there was a model are learned at once.
 */
export const LEARN_AFTER_MS = 7 * DAY_MS;

/**
 * How long a window that alerted stays out of what is learned: an insider's days must not teach the
 * baseline before an analyst has looked (with weekly retraining, learning them cost a fifth of
 * recall at 1 % FPR on the evaluation), while a user whose work really changed alerts for two weeks
 * at most, not for as long as history is kept.
 */
export const WITHHOLD_ALERTED_MS = 14 * DAY_MS;

/**
 * An analyst's verdict on a window that alerted, as learning reads it: `learn` (false positive or
 * benign) is learned at once, neither waiting nor withheld; `never` (true positive) is never
 * learned and not counted among the withheld windows either, so an insider's days shape neither
 * the baseline nor the levels' samples. Keyed by `verdictKey(user, start)`.
 */
export type WindowVerdicts = ReadonlyMap<string, 'learn' | 'never'>;

const KEY_SEPARATOR = '\u0000';
export const verdictKey = (user: string, start: number): string => `${user}${KEY_SEPARATOR}${start}`;

/**
 * A confirmed incident (a true positive) also keeps the same user's windows this close to it out
 * of learning and of the levels' samples: a case spreads over days, most of which never alerted
 * (a leaver's first small downloads), and they are the same case. A window's own verdict wins.
 */
export const CONFIRMED_CASE_MS = 7 * DAY_MS;

const NO_VERDICTS: WindowVerdicts = new Map();
const verdictOf = (l: LearnedWindow, verdicts: WindowVerdicts) =>
  verdicts.size === 0 ? undefined : verdicts.get(verdictKey(l.window.user, l.window.start));

/** Whether a window lies within CONFIRMED_CASE_MS of one of its user's confirmed incidents. */
function nearConfirmed(verdicts: WindowVerdicts): (l: LearnedWindow) => boolean {
  const confirmed = new Map<string, number[]>();
  for (const [key, verdict] of verdicts) {
    if (verdict !== 'never') continue;
    const cut = key.lastIndexOf(KEY_SEPARATOR);
    const user = key.slice(0, cut);
    confirmed.set(user, [...(confirmed.get(user) ?? []), Number(key.slice(cut + 1))]);
  }
  if (confirmed.size === 0) return () => false;
  return (l) => confirmed.get(l.window.user)?.some((s) => Math.abs(l.window.start - s) <= CONFIRMED_CASE_MS) ?? false;
}

// Without `now` (a first training), every window is settled and every one that alerted withheld.
const settled = (l: LearnedWindow, now?: number) =>
  now === undefined || l.alerted === undefined || l.window.end <= now - LEARN_AFTER_MS;
const withheld = (l: LearnedWindow, now?: number) =>
  l.alerted === true && (now === undefined || l.window.end > now - WITHHOLD_ALERTED_MS);

/** What a training at `now` does with a learned window: learn it, hold it back (it alerted lately: still in the levels' samples), or leave it out. */
function useAt(now: number | undefined, verdicts: WindowVerdicts): (l: LearnedWindow) => 'learn' | 'withhold' | 'skip' {
  const near = nearConfirmed(verdicts);
  return (l) => {
    // A verdict wins over a rule hit too: a nightly job an analyst called benign is the user's work.
    const verdict = verdictOf(l, verdicts);
    if (verdict !== undefined) return verdict === 'learn' ? 'learn' : 'skip';
    if (l.hits.length > 0) return 'skip';
    if (near(l) || !settled(l, now)) return 'skip';
    return withheld(l, now) ? 'withhold' : 'learn';
  };
}

/** Benign history for training at `now`: settled windows without rule hits, less those that alerted recently or lie near a confirmed incident; analysts' verdicts first (a window judged benign is learned, rule hits or not). */
export function benignWindows(
  learned: readonly LearnedWindow[],
  now?: number,
  verdicts: WindowVerdicts = NO_VERDICTS,
): ScoringWindow[] {
  const use = useAt(now, verdicts);
  return learned.filter((l) => use(l) === 'learn').map((l) => l.window);
}

/** Settled windows without rule hits left out of learning because they alerted: still part of the levels' samples. */
export function withheldWindows(
  learned: readonly LearnedWindow[],
  now?: number,
  verdicts: WindowVerdicts = NO_VERDICTS,
): ScoringWindow[] {
  const use = useAt(now, verdicts);
  return learned.filter((l) => use(l) === 'withhold').map((l) => l.window);
}
