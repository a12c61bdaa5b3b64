// One log line per interval in which something was dropped, with the counts by
// `<reason>.<class>.<category>`: visible to an operator without a line per event.
import type { Logger } from '../logging/logger';
import type { DropCounter } from './drop-counter';

export function logDropsPeriodically(drops: DropCounter, logger: Logger, intervalMs: number): () => void {
  const flush = () => {
    const counts = drops.takeForLog();
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (total > 0)
      logger.warn('events dropped', { dropped: total, byReason: counts, droppedSinceStart: drops.total, intervalMs });
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    flush();
  };
}
