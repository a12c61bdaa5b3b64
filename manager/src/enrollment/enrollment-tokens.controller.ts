import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { EnrollmentTokenRequest, type EnrollmentTokenView } from '@wardwatch/shared';
import type { z } from 'zod';
import { AdminOnly } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { EnrollmentTokenService } from './enrollment-token.service';

@ApiTags('enrollment')
@ApiCookieAuth()
@Controller('api/v1/enrollment-tokens')
export class EnrollmentTokensController {
  constructor(private readonly tokens: EnrollmentTokenService) {}

  /** The token is shown in this answer only; the manager keeps its hash. */
  @AdminOnly()
  @Post()
  @ApiBody({ schema: ref('EnrollmentTokenRequest') })
  @ApiCreatedResponse({ schema: ref('EnrollmentTokenView') })
  create(
    @Body(new ZodPipe(EnrollmentTokenRequest)) body: z.infer<typeof EnrollmentTokenRequest>,
    @Req() req: AuthedRequest,
  ): Promise<EnrollmentTokenView> {
    return this.tokens.create(body.ttlMinutes, req.user?.username ?? 'unknown');
  }
}
