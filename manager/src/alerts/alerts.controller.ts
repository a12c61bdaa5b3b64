import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AlertPage } from '@wardwatch/shared';
import type { z } from 'zod';
import { ref } from '../http/openapi';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AlertQuery } from './alert.schemas';
import { AlertService } from './alert.service';

@ApiTags('alerts')
@ApiCookieAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('AlertPage') })
  list(@Query(new ZodPipe(AlertQuery)) query: z.infer<typeof AlertQuery>): Promise<AlertPage> {
    return this.alerts.page(query.limit, query.cursor, query.status);
  }
}
