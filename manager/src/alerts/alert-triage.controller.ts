import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertCommentRequest, AlertTransitionRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  AlertCommentRequest as CommentBody,
  AlertCommentView,
  AlertDetail,
  AlertTransitionRequest as TransitionBody,
  AlertView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AlertDetailService } from './alert-detail.service';
import { AlertId } from './alert.schemas';
import { AlertTriageService } from './alert-triage.service';

/** Reading an alert's detail needs `events:read`; acknowledging, closing, assigning and commenting `alerts:triage`. */
@ApiTags('alerts')
@ApiCookieAuth()
@Controller('api/v1/alerts')
export class AlertTriageController {
  constructor(
    private readonly details: AlertDetailService,
    private readonly triage: AlertTriageService,
  ) {}

  @Get(':id')
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('AlertDetail') })
  detail(@Param('id', new ZodPipe(AlertId)) id: string): Promise<AlertDetail> {
    return this.details.detail(id);
  }

  /** 409 when the revision is not the alert's current one, or its status forbids the step. */
  @Post(':id/transitions')
  @HttpCode(200)
  @RequirePermission('alerts:triage')
  @ApiBody({ schema: ref('AlertTransitionRequest') })
  @ApiOkResponse({ schema: ref('AlertView') })
  transition(
    @Param('id', new ZodPipe(AlertId)) id: string,
    @Body(new ZodPipe(AlertTransitionRequest)) body: TransitionBody,
    @Req() req: AuthedRequest,
  ): Promise<AlertView> {
    return this.triage.transition(id, req.user?.username ?? 'unknown', body);
  }

  @Post(':id/comments')
  @HttpCode(201)
  @RequirePermission('alerts:triage')
  @ApiBody({ schema: ref('AlertCommentRequest') })
  @ApiOkResponse({ schema: ref('AlertCommentView') })
  comment(
    @Param('id', new ZodPipe(AlertId)) id: string,
    @Body(new ZodPipe(AlertCommentRequest)) body: CommentBody,
    @Req() req: AuthedRequest,
  ): Promise<AlertCommentView> {
    return this.triage.comment(id, req.user?.username ?? 'unknown', body.body);
  }
}
