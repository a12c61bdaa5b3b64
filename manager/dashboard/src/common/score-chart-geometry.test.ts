import { describe, expect, it } from 'vitest';
import { chartGeometry } from './score-chart-geometry';

const box = { width: 220, height: 120, pad: 10 };

describe('chartGeometry', () => {
  it('places windows by time and scores on a 0–100 scale, with the threshold as a line', () => {
    const g = chartGeometry(
      [
        { at: 2_000, score: 100, marked: true },
        { at: 0, score: 0, marked: false },
        { at: 1_000, score: 50, marked: false },
      ],
      60,
      box,
    );
    expect(g.points.map((p) => [p.x, p.y, p.marked])).toEqual([
      [10, 110, false],
      [110, 60, false],
      [210, 10, true],
    ]);
    expect(g.line).toBe('10,110 110,60 210,10');
    expect(g.thresholdY).toBe(50);
  });

  it('centres a single point, clamps scores out of range, and draws nothing for no points', () => {
    expect(chartGeometry([{ at: 5, score: 140, marked: false }], undefined, box).points).toEqual([
      { x: 110, y: 10, marked: false, score: 140, at: 5 },
    ]);
    expect(chartGeometry([{ at: 5, score: Number.NaN, marked: false }], undefined, box).points[0].y).toBe(110);
    expect(chartGeometry([], 60, box)).toEqual({ points: [], line: '', thresholdY: 50 });
  });
});
