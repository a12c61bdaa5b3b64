import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PseudonymLookupResult, ReidentifyMatchResult } from '@wardwatch/shared';
import { RequirePermission } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ReidentificationService } from './reidentification.service';

// Bodies are validated by the service, not a pipe, so that a malformed request is audited too.
@ApiTags('re-identification')
@ApiCookieAuth()
@RequirePermission('reidentify')
@Controller('api/v1/reidentification')
export class ReidentificationController {
  constructor(private readonly service: ReidentificationService) {}

  @Post('match')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Which of these candidates is behind this pseudonym?',
    description:
      'Needs the permission "reidentify" (role privacy_officer), a reason and a case reference. Audited, rate-limited.',
  })
  @ApiBody({ schema: ref('ReidentifyMatchRequest') })
  @ApiOkResponse({ schema: ref('ReidentifyMatchResult') })
  match(@Body() body: unknown, @Req() req: AuthedRequest): Promise<ReidentifyMatchResult> {
    return this.service.match(req.user?.username ?? 'unknown', body);
  }

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What is the pseudonym of this value?',
    description:
      'To search events by a known person, address, host or path. Same permission, audit and limit as match.',
  })
  @ApiBody({ schema: ref('PseudonymLookupRequest') })
  @ApiOkResponse({ schema: ref('PseudonymLookupResult') })
  lookup(@Body() body: unknown, @Req() req: AuthedRequest): Promise<PseudonymLookupResult> {
    return this.service.lookup(req.user?.username ?? 'unknown', body);
  }
}
