// How well the risk forecast the overview and agent pages show predicts the next observed
// day: every series is replayed day by day, each day forecast from the days before it
// (never from itself or later), with the manager's own forecastRisk (Holt, 80 % interval).
// Compared with the naive forecast "tomorrow is like today" (the last observed value).
import { forecastRisk, MIN_FORECAST_DAYS } from '../../manager/src/overview/risk-forecast';

export interface ForecastFigures {
  series: number;
  /** One-step forecasts made (days with at least MIN_FORECAST_DAYS observed before them). */
  forecasts: number;
  maeHolt: number;
  maeNaive: number;
  /** Share of next days inside Holt's 80 % interval. */
  coverage: number;
  meanWidth: number;
  /** Share of forecasts where Holt's error was smaller than the naive one's (ties count half). */
  holtBetter: number;
}

export function evaluateOneStep(allSeries: readonly (readonly number[])[]): ForecastFigures {
  let n = 0;
  let holtError = 0;
  let naiveError = 0;
  let inside = 0;
  let width = 0;
  let better = 0;
  let series = 0;
  for (const values of allSeries) {
    if (values.length <= MIN_FORECAST_DAYS) continue;
    series += 1;
    for (let t = MIN_FORECAST_DAYS; t < values.length; t++) {
      const [next] = forecastRisk(values.slice(0, t), 1);
      const actual = values[t];
      const holt = Math.abs(actual - next.value);
      const naive = Math.abs(actual - values[t - 1]);
      n += 1;
      holtError += holt;
      naiveError += naive;
      if (actual >= next.low && actual <= next.high) inside += 1;
      width += next.high - next.low;
      better += holt < naive ? 1 : holt === naive ? 0.5 : 0;
    }
  }
  const per = (x: number) => (n === 0 ? Number.NaN : x / n);
  return {
    series,
    forecasts: n,
    maeHolt: per(holtError),
    maeNaive: per(naiveError),
    coverage: per(inside),
    meanWidth: per(width),
    holtBetter: per(better),
  };
}

/** Daily mean risk per key, in day order, days without a window left out (as the manager does). */
export function dailySeries(
  windows: readonly { key: string; start: number; score: number }[],
  dayMs = 86_400_000,
): Map<string, number[]> {
  const sums = new Map<string, Map<number, { sum: number; n: number }>>();
  for (const w of windows) {
    const days = sums.get(w.key) ?? new Map<number, { sum: number; n: number }>();
    const day = Math.floor(w.start / dayMs);
    const cell = days.get(day) ?? { sum: 0, n: 0 };
    cell.sum += w.score;
    cell.n += 1;
    days.set(day, cell);
    sums.set(w.key, days);
  }
  const out = new Map<string, number[]>();
  for (const [key, days] of sums)
    out.set(
      key,
      [...days.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c.sum / c.n),
    );
  return out;
}
