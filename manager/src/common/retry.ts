// The manager's one retry loop, with the shared backoff-with-jitter policy
// (shared/src/retry). Only for work that is safe to run again, such as a
// transaction that rolled back whole.
import { backoffDelay } from '@wardwatch/shared';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Which failures are worth another attempt; others are thrown at once. */
  retryIf?: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(run: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseMs = 5, maxMs = 200, retryIf = () => true, sleep = pause } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt + 1 >= attempts || !retryIf(error)) throw error;
      await sleep(backoffDelay(attempt, { baseMs, maxMs }));
    }
  }
}
