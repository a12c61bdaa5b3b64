import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Health } from '@wardwatch/shared';
import { ref } from '../http/openapi';
import { Public } from '../http/route-access';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Public()
  @Get()
  @ApiOkResponse({ schema: ref('Health') })
  health(): Promise<Health> {
    return this.service.check();
  }
}
