// An admin removes another user's second factor (a lost or replaced phone). Beside the
// users routes by path, here by owner: the factor is auth/mfa's.
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SessionsEnded } from '@wardwatch/shared';
import { ref } from '../../http/openapi';
import type { AuthedRequest } from '../../http/request-context';
import { RequirePermission } from '../../http/route-access';
import { ZodPipe } from '../../http/zod.pipe';
import { z } from 'zod';
import { MfaEnrollmentService } from './mfa-enrollment.service';

/** The `:id` of a user route, as users/ reads it (auth/ does not import users/, which imports auth/). */
export const USER_ID = z.string().min(1).max(64);

@ApiTags('users')
@ApiCookieAuth()
@RequirePermission('users:manage')
@Controller('api/v1/users')
export class MfaResetController {
  constructor(private readonly enrollment: MfaEnrollmentService) {}

  /** The user must enrol again (if their role requires it); their sessions end. */
  @Post(':id/mfa/reset')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('SessionsEnded') })
  async reset(@Param('id', new ZodPipe(USER_ID)) id: string, @Req() req: AuthedRequest): Promise<SessionsEnded> {
    const admin = { id: req.session?.userId ?? '', username: req.user?.username ?? 'unknown' };
    return { sessionsEnded: await this.enrollment.reset(admin, id) };
  }
}
