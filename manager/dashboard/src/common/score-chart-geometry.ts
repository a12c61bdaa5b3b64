// The score-history chart as numbers: each scored window becomes a point (x by
// window start, y by score on a fixed 0–100 scale), the threshold a horizontal
// line. Pure, so the drawing is tested without a browser.

export interface ChartPoint {
  /** Window start, epoch ms. */
  at: number;
  score: number;
  /** The point to draw stronger (the alert's own windows). */
  marked: boolean;
}

export interface ChartGeometry {
  points: { x: number; y: number; marked: boolean; score: number; at: number }[];
  /** "x,y x,y …" for an SVG polyline. */
  line: string;
  /** y of the threshold, when one is given. */
  thresholdY?: number;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Room kept free on every side for the dots. */
  pad: number;
}

const clampScore = (n: number) => Math.max(0, Math.min(100, Number.isFinite(n) ? n : 0));
const round = (n: number) => Math.round(n * 10) / 10;

export function chartGeometry(
  series: readonly ChartPoint[],
  threshold: number | undefined,
  box: ChartBox,
): ChartGeometry {
  const sorted = [...series].sort((a, b) => a.at - b.at);
  const first = sorted[0]?.at ?? 0;
  const last = sorted.at(-1)?.at ?? 0;
  const span = last - first;
  const innerW = box.width - 2 * box.pad;
  const innerH = box.height - 2 * box.pad;
  const yOf = (score: number) => round(box.pad + innerH * (1 - clampScore(score) / 100));
  // One point sits in the middle; more spread over the width by time.
  const xOf = (at: number) => round(box.pad + (span === 0 ? innerW / 2 : (innerW * (at - first)) / span));
  const points = sorted.map((p) => ({ x: xOf(p.at), y: yOf(p.score), marked: p.marked, score: p.score, at: p.at }));
  return {
    points,
    line: points.map((p) => `${p.x},${p.y}`).join(' '),
    ...(threshold === undefined ? {} : { thresholdY: yOf(threshold) }),
  };
}
