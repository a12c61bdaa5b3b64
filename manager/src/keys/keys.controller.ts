// Admin API of workstation KEKs: list, rotate, revoke. Translates only; KeyService decides and audits.
import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { KekRevokeRequest } from '@wardwatch/shared';
import type { KekList, KekRevocation, KekRevokeRequest as KekRevokeBody, KekRotation } from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { AdminOnly } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AgentIdParam } from './key.schemas';
import { KeyService } from './key.service';

@ApiTags('keys')
@ApiCookieAuth()
@Controller('api/v1/agents/:id/keks')
export class KeysController {
  constructor(private readonly keys: KeyService) {}

  /** Every version of the workstation's KEKs (public halves and state only). */
  @Get()
  @AdminOnly()
  @ApiOkResponse({ schema: ref('KekList') })
  list(@Param('id', new ZodPipe(AgentIdParam)) id: string): Promise<KekList> {
    return this.keys.list(id);
  }

  /** A new KEK version; agents re-wrap their files' data keys to it. */
  @Post('rotate')
  @AdminOnly()
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('KekRotation') })
  rotate(@Param('id', new ZodPipe(AgentIdParam)) id: string, @Req() req: AuthedRequest): Promise<KekRotation> {
    return this.keys.rotate(id, req.user?.username ?? 'unknown');
  }

  /** Revokes the workstation's KEKs (a stolen laptop): its sealed files can no longer be opened. */
  @Post('revoke')
  @AdminOnly()
  @HttpCode(200)
  @ApiBody({ schema: ref('KekRevokeRequest') })
  @ApiOkResponse({ schema: ref('KekRevocation') })
  revoke(
    @Param('id', new ZodPipe(AgentIdParam)) id: string,
    @Body(new ZodPipe(KekRevokeRequest)) body: KekRevokeBody,
    @Req() req: AuthedRequest,
  ): Promise<KekRevocation> {
    return this.keys.revoke(id, req.user?.username ?? 'unknown', body.reason);
  }
}
