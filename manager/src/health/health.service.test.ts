import { describe, expect, it } from 'vitest';
import type { ManagerConfig } from '../config/config.schema';
import type { GrpcServerHost } from '../grpc/grpc-server.host';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { fake, FakeClock } from '../testing/fakes/fakes';
import type { HealthRepository } from './health.repository';
import { HealthService } from './health.service';

function sut(databaseAnswers: boolean, grpcListening = true) {
  const clock = new FakeClock(0);
  const repo = fake<HealthRepository>({ ping: () => Promise.resolve(databaseAnswers) });
  const grpc = { listening: grpcListening } as GrpcServerHost;
  const service = new HealthService(
    repo,
    clock,
    { database: { kind: 'sqlite' } } as ManagerConfig,
    grpc,
    new ManagerMetrics(),
  );
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

  it('is ready only when the database answers and the gRPC port listens, and says why not', async () => {
    expect(await sut(true, true).service.readiness()).toEqual({
      ready: true,
      checks: { database: 'ok', grpc: 'ok' },
    });
    expect(await sut(false, true).service.readiness()).toEqual({
      ready: false,
      reason: 'the sqlite database does not answer',
      checks: { database: 'failing', grpc: 'ok' },
    });
    const neither = await sut(false, false).service.readiness();
    expect(neither.ready).toBe(false);
    expect(neither.reason).toMatch(/database.*gRPC/);
  });
});
