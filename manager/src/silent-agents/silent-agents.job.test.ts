import { describe, expect, it } from 'vitest';
import type { ManagerConfig } from '../config/config.schema';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { fake } from '../testing/fakes/fakes';
import { SilentAgentsJob } from './silent-agents.job';
import type { SilenceRun, SilentAgentsService } from './silent-agents.service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sut(runOnce: () => Promise<SilenceRun>, afterMs = 300_000) {
  const logs: LogFields[] = [];
  const logger = new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) });
  const config = { silentAgents: { afterMs, checkIntervalMs: 20, severity: 'high' } } as ManagerConfig;
  return { job: new SilentAgentsJob(fake<SilentAgentsService>({ runOnce }), config, logger), logs };
}

describe('SilentAgentsJob', () => {
  it('checks every interval after start, one run at a time, logs what it raised, and stops on shutdown', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const { job, logs } = sut(async () => {
      runs += 1;
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await sleep(30);
      concurrent -= 1;
      return { raised: runs === 1 ? 2 : 0, ended: 0 };
    });
    await sleep(40);
    expect(runs).toBe(0); // nothing before start()
    job.start();
    await sleep(150);
    await job.beforeApplicationShutdown();
    const seen = runs;
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(maxConcurrent).toBe(1);
    expect(logs.filter((l) => l.msg === 'silent agents alerted')).toEqual([
      expect.objectContaining({ alerts: 2 }) as unknown,
    ]);
    await sleep(60);
    expect(runs).toBe(seen);
  });

  it('logs a failed check once and tries again; never starts when the check is off', async () => {
    let runs = 0;
    const { job, logs } = sut(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('database is locked')) : Promise.resolve({ raised: 0, ended: 0 });
    });
    job.start();
    await sleep(100);
    await job.beforeApplicationShutdown();
    expect(logs.filter((l) => l.msg === 'silent-agent check failed')).toHaveLength(1);
    expect(runs).toBeGreaterThanOrEqual(2);

    let offRuns = 0;
    const off = sut(() => Promise.resolve({ raised: 0, ended: offRuns++ }), 0);
    off.job.start();
    await sleep(60);
    await off.job.beforeApplicationShutdown();
    expect(offRuns).toBe(0);
  });
});
