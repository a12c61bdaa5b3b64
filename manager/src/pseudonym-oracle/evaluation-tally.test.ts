// The tally behind the evaluation audit: per agent, a window at a time, and counts that
// could not be written carried into the next window rather than lost.
import { describe, expect, it } from 'vitest';
import { EvaluationTally } from './evaluation-tally';

describe('EvaluationTally', () => {
  it('counts per agent and starts a new window at each take', () => {
    const tally = new EvaluationTally(100);
    tally.evaluated('a', 64, 110);
    tally.refused('a', 'rate_limited', 120);
    tally.evaluated('b', 1, 130);
    expect(tally.take(200)).toEqual({
      windowStartMs: 100,
      tallies: [
        { agentId: 'a', firstAtMs: 110, values: 64, calls: 2, refused: { rate_limited: 1 } },
        { agentId: 'b', firstAtMs: 130, values: 1, calls: 1, refused: {} },
      ],
    });
    expect(tally.take(300)).toEqual({ windowStartMs: 200, tallies: [] });
  });

  it('carries restored counts into the next window, merged with what came since', () => {
    const tally = new EvaluationTally(0);
    tally.evaluated('a', 5, 10);
    tally.refused('a', 'bad_element', 11);
    const failed = tally.take(50);
    tally.evaluated('a', 2, 60);
    tally.refused('a', 'bad_element', 61);
    tally.evaluated('b', 1, 70);
    tally.restore(failed);
    expect(tally.take(100)).toEqual({
      windowStartMs: 0,
      tallies: [
        { agentId: 'a', firstAtMs: 10, values: 7, calls: 4, refused: { bad_element: 2 } },
        { agentId: 'b', firstAtMs: 70, values: 1, calls: 1, refused: {} },
      ],
    });
  });
});
