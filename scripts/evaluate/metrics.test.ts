import { describe, expect, it } from 'vitest';
import { largestRatio, rateByGroup, recallAt, rocAuc, thresholdAtFpr, wilsonInterval } from './metrics';

const items = (pos: number[], neg: number[]) => [
  ...pos.map((score) => ({ score, positive: true })),
  ...neg.map((score) => ({ score, positive: false })),
];

describe('evaluation metrics', () => {
  it('gives a Wilson interval that stays inside 0–1 and narrows with more days', () => {
    const [low, high] = wilsonInterval(2, 3);
    expect(low).toBeCloseTo(0.208, 2);
    expect(high).toBeCloseTo(0.939, 2);
    const [low30, high30] = wilsonInterval(20, 30);
    expect(high30 - low30).toBeLessThan(high - low);
    expect(wilsonInterval(3, 3)[1]).toBe(1);
    expect(wilsonInterval(0, 3)[0]).toBe(0);
    expect(wilsonInterval(0, 0).every(Number.isNaN)).toBe(true);
  });

  it('computes ROC AUC with ties counted half', () => {
    expect(rocAuc(items([3, 4], [1, 2]))).toBe(1);
    expect(rocAuc(items([1, 2], [3, 4]))).toBe(0);
    expect(rocAuc(items([2], [2]))).toBe(0.5);
    expect(rocAuc(items([3, 1], [2, 0]))).toBe(0.75);
  });

  it('picks the lowest threshold within a false-positive budget', () => {
    const data = items(
      [50, 95],
      Array.from({ length: 100 }, (_, i) => i),
    );
    // 1 % of 100 negatives: one false positive allowed (99), so scores >= 99 pass.
    const t = thresholdAtFpr(data, 0.01);
    expect(t).toBe(99);
    expect(recallAt(data, t)).toBe(0);
    const t5 = thresholdAtFpr(data, 0.05);
    expect(t5).toBe(95);
    expect(recallAt(data, t5)).toBe(0.5);
  });

  it('reports rates per group and the largest ratio over large groups', () => {
    const rows = [
      ...Array.from({ length: 100 }, (_, i) => ({ g: 'a', hit: i < 10 })),
      ...Array.from({ length: 100 }, (_, i) => ({ g: 'b', hit: i < 1 })),
      { g: 'tiny', hit: true },
    ];
    const groups = rateByGroup(
      rows,
      (r) => r.g,
      (r) => r.hit,
    );
    expect(groups.get('a')).toEqual({ n: 100, hits: 10, rate: 0.1 });
    expect(largestRatio(groups)).toBeCloseTo(10.5 / 1.5, 5);
  });
});
