import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ScoreQuery, type ScorePage } from '@wardwatch/shared';
import type { z } from 'zod';
import { ref } from '../http/openapi';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { ScoreQueryService } from './score-query.service';

@ApiTags('alerts')
@ApiCookieAuth()
@Controller('api/v1/scores')
export class ScoresController {
  constructor(private readonly scores: ScoreQueryService) {}

  /** Every risk score the agents sent (below the threshold too), newest window first. */
  @Get()
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('ScorePage') })
  // The parameter's type is written as z.infer so the emitted metadata is Object (swagger reads it).
  list(@Query(new ZodPipe(ScoreQuery)) query: z.infer<typeof ScoreQuery>): Promise<ScorePage> {
    return this.scores.page(query);
  }
}
