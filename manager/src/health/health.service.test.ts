import { describe, expect, it } from 'vitest';
import type { ManagerConfig } from '../config/config.schema';
import { fake, FakeClock } from '../testing/fakes/fakes';
import type { HealthRepository } from './health.repository';
import { HealthService } from './health.service';

function sut(databaseAnswers: boolean) {
  const clock = new FakeClock(0);
  const repo = fake<HealthRepository>({ ping: () => Promise.resolve(databaseAnswers) });
  const service = new HealthService(repo, clock, { database: { kind: 'sqlite' } } as ManagerConfig);
  return { service, clock };
}

describe('HealthService', () => {
  it('is ok while the database answers, with its uptime', async () => {
    const { service, clock } = sut(true);
    clock.advance(61_400);
    expect(await service.check()).toMatchObject({ status: 'ok', database: 'sqlite', uptimeSeconds: 61 });
  });

  it('is degraded when the database does not answer', async () => {
    expect(await sut(false).service.check()).toMatchObject({ status: 'degraded' });
  });
});
