import { describe, expect, it } from 'vitest';
import { dailySeries, evaluateOneStep } from './forecast-metrics';

describe('forecast evaluation', () => {
  it('forecasts a straight line almost exactly, better than the last value', () => {
    const line = Array.from({ length: 30 }, (_, i) => 10 + 2 * i);
    const f = evaluateOneStep([line]);
    expect(f.series).toBe(1);
    expect(f.forecasts).toBe(30 - 7);
    expect(f.maeNaive).toBe(2);
    expect(f.maeHolt).toBeLessThan(f.maeNaive);
  });

  it('on a constant series both are exact and every next day is inside the interval', () => {
    const f = evaluateOneStep([Array.from({ length: 10 }, () => 40), [1, 2, 3]]);
    expect(f).toMatchObject({ series: 1, forecasts: 3, maeHolt: 0, maeNaive: 0, coverage: 1, holtBetter: 0.5 });
  });

  it('counts a jump outside the interval', () => {
    const f = evaluateOneStep([[...Array.from({ length: 7 }, () => 40), 90]]);
    expect(f).toMatchObject({ forecasts: 1, maeHolt: 50, coverage: 0 });
  });

  it('averages windows per key and day, skipping days without one', () => {
    const day = 86_400_000;
    const series = dailySeries([
      { key: 'a', start: 2 * day + 5, score: 10 },
      { key: 'a', start: 2 * day + 9, score: 30 },
      { key: 'a', start: 0, score: 4 },
      { key: 'b', start: 5 * day, score: 7 },
    ]);
    expect(series.get('a')).toEqual([4, 20]);
    expect(series.get('b')).toEqual([7]);
  });
});
