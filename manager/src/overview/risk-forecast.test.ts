import { describe, expect, it } from 'vitest';
import { absoluteQuantile, forecastRisk, holtFit, MIN_FORECAST_DAYS } from './risk-forecast';

const HALF = { alpha: 0.5, beta: 0.5 };

describe("Holt's linear exponential smoothing", () => {
  it('matches a hand computation (α = β = 0.5)', () => {
    // ℓ1 = 10, b1 = 0; y2 = 12: ŷ 10, e 2, ℓ 11, b 0.5; y3 = 13: ŷ 11.5, e 1.5, ℓ 12.25, b 0.875;
    // y4 = 15: ŷ 13.125, e 1.875, ℓ 14.0625, b 1.34375.
    const fit = holtFit([10, 12, 13, 15], HALF);
    expect(fit.residuals).toEqual([2, 1.5, 1.875]);
    expect(fit.level).toBeCloseTo(14.0625, 12);
    expect(fit.trend).toBeCloseTo(1.34375, 12);
  });

  it('forecasts level + h·trend with the 80 % |residual| quantile widened by √h', () => {
    // Continuing by hand: y5 = 14, y6 = 16, y7 = 18 give ℓ 17.4580078125, b 1.33935546875 and
    // residuals 2, 1.5, 1.875, −1.40625, 0.3046875, 1.083984375: the 5th of 6 sorted |e| is 1.875.
    const points = forecastRisk([10, 12, 13, 15, 14, 16, 18], 4, HALF);
    expect(points[0].value).toBeCloseTo(18.79736328125, 10);
    expect(points[0].low).toBeCloseTo(16.92236328125, 10);
    expect(points[0].high).toBeCloseTo(20.67236328125, 10);
    expect(points[3].value).toBeCloseTo(22.8154296875, 10);
    expect(points[3].low).toBeCloseTo(19.0654296875, 10);
    expect(points[3].high).toBeCloseTo(26.5654296875, 10);
  });

  it('gives nothing on too short a series and clamps to the 0–100 scale', () => {
    expect(forecastRisk([1, 2, 3], 3)).toEqual([]);
    expect(
      forecastRisk(
        Array.from({ length: MIN_FORECAST_DAYS - 1 }, () => 5),
        3,
      ),
    ).toEqual([]);
    const rising = forecastRisk([60, 70, 80, 90, 95, 98, 99, 100], 5);
    for (const p of rising) {
      expect(p.high).toBeLessThanOrEqual(100);
      expect(p.low).toBeGreaterThanOrEqual(0);
      expect(p.value).toBeLessThanOrEqual(100);
    }
  });

  it('takes the nearest-rank quantile of absolute residuals', () => {
    expect(absoluteQuantile([-4, 1, 3, -2, 5], 0.8)).toBe(4);
    expect(absoluteQuantile([], 0.8)).toBe(0);
  });
});

/** Deterministic standard normal draws (mulberry32 + Box–Muller), so the test cannot flake. */
function normals(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('interval coverage on synthetic series', () => {
  it('the 80 % interval holds about 80 % of next days on a noisy level and on a trend', () => {
    const draw = normals(7);
    let inside = 0;
    let total = 0;
    for (let s = 0; s < 300; s++) {
      const trend = s % 2 === 0 ? 0 : 0.5;
      const series = Array.from({ length: 31 }, (_, t) => 40 + trend * t + 4 * draw());
      const [next] = forecastRisk(series.slice(0, 30), 1);
      total += 1;
      if (series[30] >= next.low && series[30] <= next.high) inside += 1;
    }
    const coverage = inside / total;
    // Empirical quantiles from ~28 residuals: near nominal, a little either way.
    expect(coverage).toBeGreaterThan(0.7);
    expect(coverage).toBeLessThan(0.9);
  });

  it('follows a steady trend, its interval holding the next days', () => {
    const series = Array.from({ length: 30 }, (_, t) => 20 + 2 * t);
    const points = forecastRisk(series, 3);
    points.forEach((p, i) => {
      const actual = 20 + 2 * (30 + i);
      expect(p.value).toBeGreaterThan(series[29]);
      expect(actual).toBeGreaterThanOrEqual(p.low);
      expect(actual).toBeLessThanOrEqual(p.high);
    });
  });
});
