import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApprovalQuery, ApproveRequest, RejectRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  ApprovalDetail,
  ApprovalPage,
  ApprovalQuery as ApprovalQueryShape,
  ApprovalView,
  ApproveRequest as ApproveBody,
  RejectRequest as RejectBody,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { ApprovalId } from './approval.schemas';
import { ApprovalService } from './approval.service';

/** Reading the queue needs a signed-in user (every role reads events); deciding needs `response:approve`. */
@ApiTags('approvals')
@ApiCookieAuth()
@Controller('api/v1/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalService) {}

  @Get()
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('ApprovalPage') })
  list(@Query(new ZodPipe(ApprovalQuery)) query: ApprovalQueryShape): Promise<ApprovalPage> {
    return this.approvals.page(query);
  }

  @Get(':id')
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('ApprovalDetail') })
  detail(@Param('id', new ZodPipe(ApprovalId)) id: string): Promise<ApprovalDetail> {
    return this.approvals.detail(id);
  }

  /** The final approval issues the commands; the answer says whether they were issued. */
  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission('response:approve')
  @ApiBody({ schema: ref('ApproveRequest') })
  @ApiOkResponse({ schema: ref('ApprovalView') })
  approve(
    @Param('id', new ZodPipe(ApprovalId)) id: string,
    @Body(new ZodPipe(ApproveRequest)) body: ApproveBody,
    @Req() req: AuthedRequest,
  ): Promise<ApprovalView> {
    return this.approvals.approve(id, req.user?.username ?? 'unknown', body.comment);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('response:approve')
  @ApiBody({ schema: ref('RejectRequest') })
  @ApiOkResponse({ schema: ref('ApprovalView') })
  reject(
    @Param('id', new ZodPipe(ApprovalId)) id: string,
    @Body(new ZodPipe(RejectRequest)) body: RejectBody,
    @Req() req: AuthedRequest,
  ): Promise<ApprovalView> {
    return this.approvals.reject(id, req.user?.username ?? 'unknown', body.comment);
  }
}
