// Per-user baselines: one-sided robust deviations, and the spread of behaviour a
// user shows now and then in bursts (a physician's consults of another unit's charts).
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_INDEX, type FeatureWindow } from '@wardwatch/shared';
import {
  BASELINE_PRIOR_WINDOWS,
  BURST_SPREAD,
  chooseBaseline,
  deviations,
  fitBaselines,
  MIN_BURSTS,
  RECENT_HISTORY_WINDOWS,
} from './baselines';
import { dayWindow } from './day-window.fixture';

const F = FEATURE_INDEX.phi_copies_elsewhere;

function window(user: string, role: string, day: number, copies: number): FeatureWindow {
  const values = new Float64Array(FEATURE_COUNT);
  values[F] = copies;
  values[FEATURE_INDEX.logons] = 1;
  return dayWindow(user, day, values, { role });
}

/** 30 days; a consulting user copies `size` charts on every eighth day, the other never. */
function history(size: number): FeatureWindow[] {
  const out: FeatureWindow[] = [];
  for (let d = 0; d < 30; d++) {
    out.push(window('consults', 'physician', d, d % 8 === 3 ? size : 0));
    out.push(window('never', 'physician', d, 0));
    out.push(window('colleague', 'physician', d, d % 5 === 1 ? 4 : 0));
  }
  return out;
}

const zOf = (set: ReturnType<typeof fitBaselines>, user: string, copies: number) => {
  const { stats } = chooseBaseline(set, user, 'physician', 7);
  return deviations(window(user, 'physician', 40, copies).values, stats, new Float64Array(FEATURE_COUNT))[F];
};

describe('per-user baselines', () => {
  it('gives behaviour shown in bursts a spread of half the usual burst, a first time none', () => {
    const set = fitBaselines(history(4));
    expect(MIN_BURSTS).toBe(2);
    // Four bursts of 4 charts, shrunk toward the peers' bursts of 4: the spread is BURST_SPREAD × 4,
    // then the baseline is shrunk toward the peer group's (scale 1) by BASELINE_PRIOR_WINDOWS of 34.
    const spread = (30 * BURST_SPREAD * 4 + BASELINE_PRIOR_WINDOWS * 1) / (30 + BASELINE_PRIOR_WINDOWS);
    expect(set.users.consults.median[F]).toBe(0);
    expect(set.users.consults.scale[F]).toBeCloseTo(spread);
    expect(zOf(set, 'consults', 5)).toBeCloseTo(5 / spread);
    // Never done: every chart is still one σ, as loud as before.
    expect(set.users.never.scale[F]).toBe(1);
    expect(zOf(set, 'never', 5)).toBe(5);
  });

  it('borrows the peer group’s burst size while the user has few bursts of their own', () => {
    const small = fitBaselines(history(2));
    // Own bursts of 2, two windows of prior from the peers' (colleague's 4 and own 2 pooled).
    const scale = small.users.consults.scale[F];
    expect(scale).toBeGreaterThan(1);
    expect(scale).toBeLessThan(BURST_SPREAD * 4);
    // The peer group itself keeps its robust scale (it measures how users differ, not bursts).
    expect(small.roles.physician.scale[F]).toBe(1);
  });

  it("compares a user with little history with a baseline mostly their peer group's, theirs as it grows", () => {
    const windows = [
      ...Array.from({ length: 20 }, (_, d) => window('four', 'nurse', d, 4)),
      ...Array.from({ length: 20 }, (_, d) => window('eight', 'nurse', d, 8)),
      window('newcomer', 'nurse', 18, 0),
      window('newcomer', 'nurse', 19, 0),
    ];
    const set = fitBaselines(windows);
    const peer = set.roles.nurse;
    expect(peer.median[F]).toBe(4);
    const newcomer = chooseBaseline(set, 'newcomer', 'nurse', 1);
    expect(newcomer.source).toBe('user');
    // Two windows of their own (median 0, scale 1) against four lent by the peer group.
    const own = 2 / (2 + BASELINE_PRIOR_WINDOWS);
    expect(newcomer.stats.median[F]).toBeCloseTo((1 - own) * peer.median[F]);
    expect(newcomer.stats.scale[F]).toBeCloseTo(own * 1 + (1 - own) * peer.scale[F]);
    // Twenty windows: mostly their own.
    const eight = set.users.eight.median[F];
    expect(eight).toBeCloseTo((20 * 8 + BASELINE_PRIOR_WINDOWS * 4) / (20 + BASELINE_PRIOR_WINDOWS));
    // With the old default of 7 windows the newcomer had the peer group's baseline alone.
    expect(chooseBaseline(set, 'newcomer', 'nurse', 7).source).toBe('peer');
  });

  it('lends a recent user the bursts of the colleagues their windows resemble, a veteran none', () => {
    // Four technicians of six copy 20 files most days; two never do.
    const windows = Array.from({ length: 6 }, (_, u) =>
      Array.from({ length: 30 }, (_, d) => window(`it${u}`, 'it', d, u < 4 && d % 3 !== 0 ? 20 : 0)),
    ).flat();
    const zAfter = (own: number[], role = 'it') => {
      const history = own.map((copies, d) => window('back', role, 30 + d, copies));
      const set = fitBaselines([...windows, ...history]);
      const { stats } = chooseBaseline(set, 'back', role, 1);
      return deviations(window('back', role, 40, 20).values, stats, new Float64Array(FEATURE_COUNT))[F];
    };
    expect(RECENT_HISTORY_WINDOWS).toBe(10);
    // Copying on two of three windows, like the four: 20 files is a busy day of theirs (z < 2), not z = 20.
    expect(zAfter([20, 0, 20])).toBeLessThan(2);
    // One quiet window says little: the four's bursts still widen it (z ≈ 6 against 15 after three).
    expect(zAfter([0])).toBeLessThan(8);
    // Three quiet windows are likelier from one of the two who never copy: 20 files stand out.
    expect(zAfter([0, 0, 0])).toBeGreaterThan(zAfter([0]));
    expect(zAfter([0, 0, 0])).toBeGreaterThan(8);
    // Ten make a veteran, whose quiet record speaks for itself.
    expect(zAfter(new Array<number>(RECENT_HISTORY_WINDOWS).fill(0))).toBeGreaterThan(15);
    // A role that never does it lends nothing.
    expect(zAfter([0, 0, 0], 'nurse')).toBeGreaterThan(15);
  });

  it('judges a recent clerk by the colleagues their few windows resemble', () => {
    // Two clerks of ten burn 20 images on two days in three; eight never use a stick.
    const windows = Array.from({ length: 10 }, (_, u) =>
      Array.from({ length: 30 }, (_, d) => window(`cl${u}`, 'clerk', d, u < 2 && d % 3 !== 0 ? 20 : 0)),
    ).flat();
    const zOfNew = (own: number[]) => {
      const history = own.map((copies, d) => window('new', 'clerk', 30 + d, copies));
      const set = fitBaselines([...windows, ...history]);
      const { stats } = chooseBaseline(set, 'new', 'clerk', 1);
      return deviations(window('new', 'clerk', 40, 8).values, stats, new Float64Array(FEATURE_COUNT))[F];
    };
    // Four quiet windows: most likely one of the eight, so 8 charts on a stick stand out.
    expect(zOfNew([0, 0, 0, 0])).toBeGreaterThan(5);
    // Burning on three of four: one of the two, whose busy days are usual.
    expect(zOfNew([20, 0, 20, 20])).toBeLessThan(2);
  });

  it('never narrows a spread and leaves features with a non-zero median alone', () => {
    const set = fitBaselines(history(4));
    const L = FEATURE_INDEX.logons;
    expect(set.users.consults.median[L]).toBe(1);
    expect(set.users.consults.scale[L]).toBeCloseTo(Math.sqrt(2));
  });
});
