import { describe, expect, it } from 'vitest';
import type { ManagerConfig } from '../config/config.schema';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { fake } from '../testing/fakes/fakes';
import { RetentionJob } from './retention.job';
import type { RetentionRun, RetentionService } from './retention.service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sut(runOnce: () => Promise<RetentionRun>) {
  const logs: LogFields[] = [];
  const logger = new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) });
  const config = { retention: { intervalMs: 20 } } as ManagerConfig;
  const job = new RetentionJob(fake<RetentionService>({ runOnce }), config, logger);
  return { job, logs };
}

const nothing: RetentionRun = { deleted: { events: 0, scores: 0, alerts: 0 }, complete: true };

describe('RetentionJob', () => {
  it('runs every interval after start, never two at once, and stops before the database closes', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const { job } = sut(async () => {
      runs += 1;
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await sleep(50);
      concurrent -= 1;
      return nothing;
    });
    await sleep(40);
    expect(runs).toBe(0); // nothing before start()
    job.start();
    await sleep(200);
    await job.beforeApplicationShutdown();
    const seen = runs;
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(maxConcurrent).toBe(1);
    expect(concurrent).toBe(0);
    await sleep(60);
    expect(runs).toBe(seen);
  });

  it('logs a failed run once and tries again at the next interval', async () => {
    let runs = 0;
    const { job, logs } = sut(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('database is locked')) : Promise.resolve(nothing);
    });
    job.start();
    await sleep(100);
    await job.beforeApplicationShutdown();
    expect(logs.filter((l) => l.msg === 'retention run failed')).toHaveLength(1);
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
