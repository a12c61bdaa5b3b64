import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IncidentId, IncidentQuery } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type { IncidentDetail, IncidentList, IncidentQuery as IncidentQueryShape } from '@wardwatch/shared';
import { ref } from '../http/openapi';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { IncidentService } from './incident.service';

/** Incidents are read like alerts and events (they show pseudonyms and evidence only). */
@ApiTags('incidents')
@ApiCookieAuth()
@RequirePermission('events:read')
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Get()
  @ApiOkResponse({ schema: ref('IncidentList') })
  list(@Query(new ZodPipe(IncidentQuery)) query: IncidentQueryShape): Promise<IncidentList> {
    return this.incidents.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ schema: ref('IncidentDetail') })
  detail(@Param('id', new ZodPipe(IncidentId)) id: string): Promise<IncidentDetail> {
    return this.incidents.detail(id);
  }
}
