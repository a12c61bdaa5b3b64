// What monitoring asks: is the process alive (liveness), can it do its work now
// (readiness: the database answers and the agents' gRPC port is open), and the
// dashboard's summary (`GET /api/v1/health`).
import { Inject, Injectable } from '@nestjs/common';
import type { Health } from '@wardwatch/shared';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { GrpcServerHost } from '../grpc/grpc-server.host';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { MANAGER_VERSION } from '../version';
import { HealthRepository } from './health.repository';

export type CheckState = 'ok' | 'failing';

export interface Readiness {
  ready: boolean;
  /** Why not, in one line; absent when ready. */
  reason?: string;
  checks: { database: CheckState; grpc: CheckState };
}

@Injectable()
export class HealthService {
  private readonly startedAt: number;

  constructor(
    private readonly repo: HealthRepository,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    private readonly grpc: GrpcServerHost,
    metrics: ManagerMetrics,
  ) {
    this.startedAt = clock.now();
    metrics.probeDatabase(() => this.repo.ping());
  }

  async check(): Promise<Health> {
    const databaseOk = await this.repo.ping();
    return {
      status: databaseOk ? 'ok' : 'degraded',
      database: this.config.database.kind,
      version: MANAGER_VERSION,
      uptimeSeconds: this.uptimeSeconds(),
    };
  }

  uptimeSeconds(): number {
    return Math.round((this.clock.now() - this.startedAt) / 1000);
  }

  async readiness(): Promise<Readiness> {
    const checks = {
      database: (await this.repo.ping()) ? 'ok' : 'failing',
      grpc: this.grpc.listening ? 'ok' : 'failing',
    } satisfies Readiness['checks'];
    const reasons = [
      ...(checks.database === 'failing' ? [`the ${this.config.database.kind} database does not answer`] : []),
      ...(checks.grpc === 'failing' ? ['the gRPC port for agents is not listening'] : []),
    ];
    return reasons.length === 0 ? { ready: true, checks } : { ready: false, reason: reasons.join('; '), checks };
  }
}
