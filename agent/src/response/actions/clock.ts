// Time for the actions: now for expiries, sleep for the bounded waits (grace periods,
// "is it gone yet" polls). Injectable so a test can see what was waited for.

export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
