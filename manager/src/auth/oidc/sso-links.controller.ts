import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SsoIdentityRequest } from '@wardwatch/shared';
import { z } from 'zod';
import type { SsoIdentityList, SsoIdentityRequest as IdentityBody, SsoIdentityView } from '@wardwatch/shared';
import { RequirePermission } from '../../http/route-access';
import { ref } from '../../http/openapi';
import type { AuthedRequest } from '../../http/request-context';
import { ZodPipe } from '../../http/zod.pipe';
import { SsoLinksService } from './sso-links.service';

const UserId = z.string().min(1).max(64);

/** The provider identities (issuer + sub) an account signs in with through SSO. */
@ApiTags('users')
@ApiCookieAuth()
@RequirePermission('users:manage')
@Controller('api/v1/users/:id/sso')
export class SsoLinksController {
  constructor(private readonly links: SsoLinksService) {}

  @Get()
  @ApiOkResponse({ schema: ref('SsoIdentityList') })
  async list(@Param('id', new ZodPipe(UserId)) id: string): Promise<SsoIdentityList> {
    return { items: await this.links.list(id) };
  }

  @Post()
  @ApiBody({ schema: ref('SsoIdentityRequest') })
  @ApiCreatedResponse({ schema: ref('SsoIdentityView') })
  link(
    @Param('id', new ZodPipe(UserId)) id: string,
    @Body(new ZodPipe(SsoIdentityRequest)) body: IdentityBody,
    @Req() req: AuthedRequest,
  ): Promise<SsoIdentityView> {
    return this.links.link(id, body, req.user?.username ?? 'unknown');
  }

  @Post('unlink')
  @HttpCode(204)
  @ApiBody({ schema: ref('SsoIdentityRequest') })
  @ApiNoContentResponse()
  unlink(
    @Param('id', new ZodPipe(UserId)) id: string,
    @Body(new ZodPipe(SsoIdentityRequest)) body: IdentityBody,
    @Req() req: AuthedRequest,
  ): Promise<void> {
    return this.links.unlink(id, body, req.user?.username ?? 'unknown');
  }
}
