import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AlertPage } from '@wardwatch/shared';
import { z } from 'zod';
import { ref } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { AlertService } from './alert.service';

const AlertQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
});

@ApiTags('alerts')
@ApiCookieAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @ApiOkResponse({ schema: ref('AlertPage') })
  list(@Query(new ZodPipe(AlertQuery)) query: z.infer<typeof AlertQuery>): Promise<AlertPage> {
    return this.alerts.page(query.limit, query.cursor);
  }
}
