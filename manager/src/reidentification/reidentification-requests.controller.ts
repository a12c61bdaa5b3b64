import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DutyDenyRequest, DutyRequestQuery } from '@wardwatch/shared';
import type {
  DutyDenyRequest as DenyBody,
  DutyRequestList,
  DutyRequestQuery as QueryParams,
  DutyRequestView,
} from '@wardwatch/shared';
import { z } from 'zod';
import { RequirePermission } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { ReidentificationRequestsService } from './reidentification-requests.service';

const RequestId = z.string().min(1).max(64);

// The ask's body is validated by the service, not a pipe, so that a malformed one is audited too.
@ApiTags('re-identification')
@ApiCookieAuth()
@RequirePermission('reidentify')
@Controller('api/v1/reidentification/requests')
export class ReidentificationRequestsController {
  constructor(private readonly requests: ReidentificationRequestsService) {}

  @Post()
  @ApiOperation({
    summary: 'Ask a re-identification question for a second privacy officer to approve',
    description:
      'The answer comes from POST match or lookup with the same question and `approvalId`, once, by the asker, within the answer window.',
  })
  @ApiBody({ schema: ref('ReidentificationAsk') })
  @ApiCreatedResponse({ schema: ref('DutyRequestView') })
  ask(@Body() body: unknown, @Req() req: AuthedRequest): Promise<DutyRequestView> {
    return this.requests.ask(req.user?.username ?? 'unknown', body);
  }

  @Get()
  @ApiOkResponse({ schema: ref('DutyRequestList') })
  async list(@Query(new ZodPipe(DutyRequestQuery)) query: QueryParams): Promise<DutyRequestList> {
    return { items: await this.requests.list(query.state) };
  }

  /** Refused for the officer who asked. */
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('DutyRequestView') })
  approve(@Param('id', new ZodPipe(RequestId)) id: string, @Req() req: AuthedRequest): Promise<DutyRequestView> {
    return this.requests.decide(id, req.user?.username ?? 'unknown', 'approve');
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiBody({ schema: ref('DutyDenyRequest') })
  @ApiOkResponse({ schema: ref('DutyRequestView') })
  deny(
    @Param('id', new ZodPipe(RequestId)) id: string,
    @Body(new ZodPipe(DutyDenyRequest)) body: DenyBody,
    @Req() req: AuthedRequest,
  ): Promise<DutyRequestView> {
    return this.requests.decide(id, req.user?.username ?? 'unknown', 'deny', body.reason);
  }
}
