import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Health } from '@wardwatch/shared';
import { ref } from '../http/openapi';
import { Public } from '../http/route-access';
import { HealthService, type Readiness } from './health.service';

interface StatusReply {
  status(code: number): unknown;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Public()
  @Get('api/v1/health')
  @ApiOkResponse({ schema: ref('Health') })
  health(): Promise<Health> {
    return this.service.check();
  }

  /** Liveness: the process answers. Nothing else is checked, so a restart is never asked for a database outage. */
  @Public()
  @Get('health/live')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"status":"live","uptimeSeconds":…}`' })
  live(): { status: 'live'; uptimeSeconds: number } {
    return { status: 'live', uptimeSeconds: this.service.uptimeSeconds() };
  }

  /** Readiness: 200 when the database answers and the agents' gRPC port listens, else 503 with the reason. */
  @Public()
  @Get('health/ready')
  @ApiOkResponse({ description: '`{"status":"ready","checks":{"database":"ok","grpc":"ok"}}`' })
  @ApiServiceUnavailableResponse({ description: '`{"status":"not_ready","reason":"…","checks":{…}}`' })
  async ready(@Res({ passthrough: true }) res: StatusReply): Promise<Omit<Readiness, 'ready'> & { status: string }> {
    const { ready, ...rest } = await this.service.readiness();
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', ...rest };
  }
}
