import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { DropCounter } from './drop-counter';
import { logDropsPeriodically } from './drop-log';
import { fileEvent, loginEvent } from './test-events.fixture';

afterEach(() => vi.useRealTimers());

describe('logDropsPeriodically', () => {
  it('logs one line per interval with drops, by reason and class, and none for a quiet interval', () => {
    vi.useFakeTimers();
    const drops = new DropCounter();
    const logger = createMemoryLogger();
    const stop = logDropsPeriodically(drops, logger, 10_000);
    drops.count('rate_limit', 'low', fileEvent('a'));
    drops.count('rate_limit', 'low', fileEvent('b'));
    drops.count('queue_full', 'high', loginEvent('c'));
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    drops.count('queue_full', 'low', fileEvent('d'));
    stop(); // the last interval is flushed on stop
    const lines = logger.lines.filter((l) => l.msg === 'events dropped');
    expect(lines.map((l) => [l.dropped, l.byReason, l.droppedSinceStart])).toEqual([
      [3, { 'rate_limit.low.file': 2, 'queue_full.high.login': 1 }, 3],
      [1, { 'queue_full.low.file': 1 }, 4],
    ]);
  });
});
