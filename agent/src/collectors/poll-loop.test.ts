import { describe, expect, it } from 'vitest';
import { PollTimer, timedPoll, type PollStats } from './poll-loop';

describe('timedPoll', () => {
  it('counts a poll and its time, and turns a failure into a counted warning', async () => {
    const stats: PollStats = { polls: 0, pollErrors: 0, lastPollMs: -1 };
    const warnings: string[] = [];
    await timedPoll(
      stats,
      'devices: poll of sysfs',
      (_level, message) => warnings.push(message),
      () => Promise.resolve(),
    );
    await timedPoll(
      stats,
      'devices: poll of sysfs',
      (_level, message) => warnings.push(message),
      () => Promise.reject(new Error('EACCES')),
    );
    expect(stats).toMatchObject({ polls: 1, pollErrors: 1 });
    expect(stats.lastPollMs).toBeGreaterThanOrEqual(0);
    expect(warnings).toEqual(['devices: poll of sysfs failed: EACCES']);
  });
});

describe('PollTimer', () => {
  it('never overlaps polls, and stop waits for the one in progress', async () => {
    let active = 0;
    let most = 0;
    let finished = 0;
    const timer = new PollTimer(1, async () => {
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 15));
      active -= 1;
      finished += 1;
    });
    timer.start();
    // Until two polls have finished: a fixed sleep is too short on a loaded machine.
    while (finished < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await timer.stop();
    const after = finished;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(most).toBe(1);
    expect(active).toBe(0);
    expect(after).toBeGreaterThanOrEqual(2);
    expect(finished).toBe(after);
  });
});
