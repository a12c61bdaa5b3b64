import { describe, expect, it } from 'vitest';
import { Severity, type Score } from '@wardwatch/proto';
import { ScoreQueue } from './score-queue';

const score = (id: string, value: number): Score => ({
  id,
  windowStartMs: 0,
  windowEndMs: 1,
  user: 'u_1',
  score: value,
  threshold: 60,
  severity: Severity.SEVERITY_INFO,
  modelSource: 'none',
  baselineSource: 'fleet',
  reasons: [],
  ruleIds: [],
  scoredAtMs: 0,
  partial: false,
  suspects: [],
});

describe('ScoreQueue', () => {
  it('releases scores only on an ack covering their batch and resends what was in flight', () => {
    const queue = new ScoreQueue();
    ['a', 'b', 'c'].forEach((id) => queue.push(score(id, 70)));
    const first = queue.takeBatch(2)!;
    const second = queue.takeBatch(2)!;
    expect([first.sequence, second.sequence]).toEqual([1, 2]);
    expect(queue.ack(1)).toBe(2);
    queue.requeueInFlight();
    expect(queue.stats()).toEqual({ queued: 1, inFlight: 0, sent: 2, dropped: 0 });
    expect(queue.takeBatch(10)!.scores.map((s) => s.id)).toEqual(['c']);
    expect(queue.unacknowledged().map((s) => s.id)).toEqual(['c']);
  });

  it('when full drops the oldest benign score before any alert, and counts it', () => {
    const queue = new ScoreQueue(3);
    queue.push(score('alert-1', 90));
    queue.push(score('benign-1', 10));
    queue.push(score('alert-2', 80));
    queue.push(score('alert-3', 95));
    expect(queue.unacknowledged().map((s) => s.id)).toEqual(['alert-1', 'alert-2', 'alert-3']);
    queue.push(score('alert-4', 99));
    expect(queue.unacknowledged().map((s) => s.id)).toEqual(['alert-2', 'alert-3', 'alert-4']);
    expect(queue.stats().dropped).toBe(2);
  });
});
