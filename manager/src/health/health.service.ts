// Liveness for monitoring: the database answers or the manager is degraded.
import { Inject, Injectable } from '@nestjs/common';
import type { Health } from '@wardwatch/shared';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { MANAGER_VERSION } from '../version';
import { HealthRepository } from './health.repository';

@Injectable()
export class HealthService {
  private readonly startedAt: number;

  constructor(
    private readonly repo: HealthRepository,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
  ) {
    this.startedAt = clock.now();
  }

  async check(): Promise<Health> {
    const databaseOk = await this.repo.ping();
    return {
      status: databaseOk ? 'ok' : 'degraded',
      database: this.config.database.kind,
      version: MANAGER_VERSION,
      uptimeSeconds: Math.round((this.clock.now() - this.startedAt) / 1000),
    };
  }
}
