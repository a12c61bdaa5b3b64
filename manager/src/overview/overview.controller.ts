import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OverviewQuery, RiskTrendQuery } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  OverviewView,
  OverviewQuery as OverviewQueryShape,
  RiskTrend,
  RiskTrendQuery as RiskTrendQueryShape,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { OverviewService } from './overview.service';

/** Counts and trends over what events:read already shows (pseudonyms only). */
@ApiTags('overview')
@ApiCookieAuth()
@RequirePermission('events:read')
@Controller('api/v1/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  @ApiOkResponse({ schema: ref('OverviewView') })
  summary(@Query(new ZodPipe(OverviewQuery)) query: OverviewQueryShape): Promise<OverviewView> {
    return this.overview.summary(query);
  }

  @Get('risk-trend')
  @ApiOkResponse({ schema: ref('RiskTrend') })
  riskTrend(@Query(new ZodPipe(RiskTrendQuery)) query: RiskTrendQueryShape): Promise<RiskTrend> {
    return this.overview.riskTrend(query);
  }
}
