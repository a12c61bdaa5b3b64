import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DutyDenyRequest, DutyRequestQuery } from '@wardwatch/shared';
import type {
  DutyDenyRequest as DenyBody,
  DutyRequestList,
  DutyRequestQuery as QueryParams,
  DutyRequestView,
} from '@wardwatch/shared';
import { RequirePermission } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { RoleGrantsService } from './role-grants.service';
import { UserId } from './user.schemas';

/** Pending grants of admin or privacy officer, for a second admin to approve or deny. */
@ApiTags('users')
@ApiCookieAuth()
@RequirePermission('users:manage')
@Controller('api/v1/users/grants')
export class RoleGrantsController {
  constructor(private readonly grants: RoleGrantsService) {}

  @Get()
  @ApiOkResponse({ schema: ref('DutyRequestList') })
  async list(@Query(new ZodPipe(DutyRequestQuery)) query: QueryParams): Promise<DutyRequestList> {
    return { items: await this.grants.list(query.state) };
  }

  /** Refused for the admin who asked and for the account concerned. */
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('DutyRequestView') })
  approve(@Param('id', new ZodPipe(UserId)) id: string, @Req() req: AuthedRequest): Promise<DutyRequestView> {
    return this.grants.decide(id, req.user?.username ?? 'unknown', 'approve');
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiBody({ schema: ref('DutyDenyRequest') })
  @ApiOkResponse({ schema: ref('DutyRequestView') })
  deny(
    @Param('id', new ZodPipe(UserId)) id: string,
    @Body(new ZodPipe(DutyDenyRequest)) body: DenyBody,
    @Req() req: AuthedRequest,
  ): Promise<DutyRequestView> {
    return this.grants.decide(id, req.user?.username ?? 'unknown', 'deny', body.reason);
  }
}
