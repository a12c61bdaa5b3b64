// Detection metrics over scored windows: ROC AUC, recall at a fixed
// false-positive rate, and alert rates per group.

export interface Scored {
  score: number;
  positive: boolean;
}

/** ROC AUC as the Mann–Whitney probability that a positive outranks a negative (ties count half). */
export function rocAuc(items: readonly Scored[]): number {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].positive) rankSumPositive += averageRank;
    i = j;
  }
  const positives = items.filter((x) => x.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The lowest threshold whose false-positive rate (score >= threshold) stays within `fpr`. */
export function thresholdAtFpr(items: readonly Scored[], fpr: number): number {
  const negatives = items
    .filter((x) => !x.positive)
    .map((x) => x.score)
    .sort((a, b) => b - a);
  const allowed = Math.floor(negatives.length * fpr);
  // Scores above the (allowed+1)-th highest negative are within budget.
  const boundary = negatives[allowed] ?? -Infinity;
  const candidates = [...new Set(items.map((x) => x.score))].filter((s) => s > boundary).sort((a, b) => a - b);
  return candidates[0] ?? Infinity;
}

export function recallAt(items: readonly Scored[], threshold: number): number {
  const positives = items.filter((x) => x.positive);
  return positives.length ? positives.filter((x) => x.score >= threshold).length / positives.length : NaN;
}

/**
 * 95 % Wilson score interval of a proportion: with ~3 user-days per scenario and seed, one miss
 * moves a seed's figure by a third; pooled over seeds the interval says what the counts support.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [NaN, NaN];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function rateByGroup<T>(
  items: readonly T[],
  group: (item: T) => string,
  hit: (item: T) => boolean,
): Map<string, { n: number; hits: number; rate: number }> {
  const out = new Map<string, { n: number; hits: number; rate: number }>();
  for (const item of items) {
    const key = group(item);
    const entry = out.get(key) ?? { n: 0, hits: 0, rate: 0 };
    entry.n += 1;
    if (hit(item)) entry.hits += 1;
    entry.rate = entry.hits / entry.n;
    out.set(key, entry);
  }
  return out;
}

/**
 * Largest ratio between group rates, over groups of at least `minSize` (tiny groups make
 * noise, not evidence); rates are smoothed by half an alert so a zero group stays finite.
 */
export function largestRatio(groups: Map<string, { n: number; hits: number }>, minSize = 50): number {
  const rates = [...groups.values()].filter((g) => g.n >= minSize).map((g) => (g.hits + 0.5) / (g.n + 1));
  return rates.length ? Math.max(...rates) / Math.min(...rates) : NaN;
}

interface LabelledEvent {
  time: number;
  user: string;
  label?: string;
}

interface ScoredWindow {
  user: string;
  end: number;
  alert: boolean;
  labels: readonly string[];
  firstRuleHitAt: number | null;
}

/**
 * Time to detect per incident (a scenario's events of one user): hours from its first event to
 * its first alert, which is a rule's hit when one fired, else the end of the alerted window.
 */
export function incidentDelays(
  events: readonly LabelledEvent[],
  windows: readonly ScoredWindow[],
  scenario: string,
): { incidents: number; hours: number[] } {
  const firstEvent = new Map<string, number>();
  for (const e of events) if (e.label === scenario && !firstEvent.has(e.user)) firstEvent.set(e.user, e.time);
  const hours: number[] = [];
  for (const [user, start] of firstEvent) {
    const alerts = windows
      .filter((w) => w.user === user && w.alert && w.labels.includes(scenario))
      .map((w) => (w.firstRuleHitAt !== null && w.firstRuleHitAt >= start ? w.firstRuleHitAt : w.end));
    if (alerts.length) hours.push((Math.min(...alerts) - start) / 3_600_000);
  }
  return { incidents: firstEvent.size, hours: hours.sort((a, b) => a - b) };
}
