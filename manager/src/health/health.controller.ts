import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Health } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { Public } from '../auth/session.guard';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { ref } from '../http/openapi';
import { MANAGER_VERSION } from '../version';

@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly db: DataSource,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ schema: ref('Health') })
  async health(): Promise<Health> {
    const databaseOk = await this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return {
      status: databaseOk ? 'ok' : 'degraded',
      database: this.config.database.kind,
      version: MANAGER_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}
