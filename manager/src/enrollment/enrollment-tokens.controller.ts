import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EnrollmentTokenRequest, type EnrollmentTokenList, type EnrollmentTokenView } from '@wardwatch/shared';
import type { z } from 'zod';
import { AdminOnly } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { EnrollmentTokenService } from './enrollment-token.service';
import { EnrollmentTokenError } from './enrollment.errors';

const TOKEN_ID = /^[0-9a-f]{64}$/;

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

  /** The newest tokens by the hash that names them, never their text. */
  @AdminOnly()
  @Get()
  @ApiOkResponse({ schema: ref('EnrollmentTokenList') })
  async list(): Promise<EnrollmentTokenList> {
    return { items: await this.tokens.list() };
  }

  /** Withdraws an unused token; audited. */
  @AdminOnly()
  @Post(':id/revoke')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @Req() req: AuthedRequest): Promise<void> {
    if (!TOKEN_ID.test(id)) throw new EnrollmentTokenError('token_not_found', 'no such enrollment token');
    await this.tokens.revoke(id, req.user?.username ?? 'unknown');
  }
}
