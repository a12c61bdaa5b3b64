// Per-user behavioural baselines: for every feature the median and a robust
// spread (MAD) of the user's past windows; the same for each peer group (role)
// and the whole fleet, which stand in while a user has too little history.
// Deviations are one-sided: only more activity than usual is suspicious.
import { FEATURE_COUNT, type FeatureWindow } from '@wardwatch/shared/agent';

/**
 * In a user's own baseline the mean absolute deviation from the median (× √(π/2), σ for a normal
 * variable) is also a spread: staff who copy patient images to USB on 40 % of days have a median
 * and MAD of 0, and were "30 σ" out every third day; their busy days are usual for them. A user who
 * never does it keeps the small scale. The mean, not an upper quantile: of 30 windows a quantile
 * varies so much that the held-out calibration saw chance-narrow scales the refitted ones lack.
 * Not for peer groups and the fleet: there it measures how users differ, and would make any
 * newcomer look usual.
 */
const MEAN_DEVIATION_TO_SIGMA = Math.sqrt(Math.PI / 2);

export interface FeatureStats {
  median: number[];
  /** Robust scale: max(1.4826·MAD, sqrt(median + 1)), for a user also 1.25·mean|x − median|; never zero. */
  scale: number[];
  windows: number;
}

export type BaselineSource = 'user' | 'peer' | 'fleet';

export interface BaselineSet {
  users: Record<string, FeatureStats>;
  roles: Record<string, FeatureStats>;
  fleet: FeatureStats;
}

export function featureStats(rows: readonly Float64Array[], meanSpread = false): FeatureStats {
  const median: number[] = [];
  const scale: number[] = [];
  const column = new Float64Array(rows.length);
  for (let f = 0; f < FEATURE_COUNT; f++) {
    for (let i = 0; i < rows.length; i++) column[i] = rows[i][f];
    const m = quantile(column, 0.5);
    const deviations = column.map((x) => Math.abs(x - m));
    const mad = quantile(deviations, 0.5);
    const spread = meanSpread ? MEAN_DEVIATION_TO_SIGMA * mean(deviations) : 0;
    median.push(m);
    scale.push(Math.max(1.4826 * mad, spread, Math.sqrt(m + 1)));
  }
  return { median, scale, windows: rows.length };
}

export function fitBaselines(windows: readonly FeatureWindow[]): BaselineSet {
  const byUser = new Map<string, Float64Array[]>();
  const byRole = new Map<string, Float64Array[]>();
  for (const w of windows) {
    push(byUser, w.user, w.values);
    if (w.role) push(byRole, w.role, w.values);
  }
  const users: Record<string, FeatureStats> = {};
  for (const [user, rows] of byUser) users[user] = featureStats(rows, true);
  const roles: Record<string, FeatureStats> = {};
  for (const [role, rows] of byRole) roles[role] = featureStats(rows);
  return { users, roles, fleet: featureStats(windows.map((w) => w.values)) };
}

export function chooseBaseline(
  set: BaselineSet,
  user: string,
  role: string | undefined,
  minWindows: number,
  /** Compare as if the user had no history ('peer') or no role either ('fleet'). */
  asIf: BaselineSource = 'user',
): { stats: FeatureStats; source: BaselineSource } {
  const own = set.users[user];
  if (asIf === 'user' && own && own.windows >= minWindows) return { stats: own, source: 'user' };
  const peer = role ? set.roles[role] : undefined;
  if (asIf !== 'fleet' && peer) return { stats: peer, source: 'peer' };
  return { stats: set.fleet, source: 'fleet' };
}

/** One-sided robust z per feature, written into `out`. */
export function deviations(values: Float64Array, stats: FeatureStats, out: Float64Array, cap = 30): Float64Array {
  for (let f = 0; f < FEATURE_COUNT; f++) {
    const z = (values[f] - stats.median[f]) / stats.scale[f];
    out[f] = z <= 0 ? 0 : z > cap ? cap : z;
  }
  return out;
}

/** Linear-interpolated quantile of an unsorted array (copied, not modified). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length ? sum / values.length : 0;
}

function push(map: Map<string, Float64Array[]>, key: string, row: Float64Array): void {
  const rows = map.get(key);
  if (rows) rows.push(row);
  else map.set(key, [row]);
}
