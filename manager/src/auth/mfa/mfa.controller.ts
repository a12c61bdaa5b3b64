// The second factor over HTTP: the second step of sign-in (public: there is no session
// yet, only the pending token), and the caller's own enrolment, recovery codes and
// turning it off. Translates only; MfaSignInService and MfaEnrollmentService decide.
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FreshSecondFactor, MfaCodeRequest, MfaVerifyRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  CurrentUser,
  FreshSecondFactor as FreshFactorBody,
  MfaCodeRequest as MfaCodeBody,
  MfaEnrollment,
  MfaStatus,
  MfaVerifyRequest as MfaVerifyBody,
  RecoveryCodes,
} from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { ref } from '../../http/openapi';
import type { AuthedRequest } from '../../http/request-context';
import { AnySignedInUser, Public } from '../../http/route-access';
import { ZodPipe } from '../../http/zod.pipe';
import { SignInEdge } from '../session-cookie';
import { MfaEnrollmentService, type MfaUser } from './mfa-enrollment.service';
import { AllowedBeforeMfaEnrollment } from './mfa-route-access';
import { MfaSignInService } from './mfa-sign-in.service';

@ApiTags('auth')
@Controller('api/v1/auth/mfa')
export class MfaController {
  constructor(
    private readonly signIn: MfaSignInService,
    private readonly enrollment: MfaEnrollmentService,
    private readonly edge: SignInEdge,
  ) {}

  /** Second step of sign-in: the pending token from the password step and a code; sets the session cookie. */
  @Public()
  @Post('verify')
  @HttpCode(200)
  @ApiBody({ schema: ref('MfaVerifyRequest') })
  @ApiOkResponse({ schema: ref('CurrentUser') })
  async verify(
    @Body(new ZodPipe(MfaVerifyRequest)) body: MfaVerifyBody,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<CurrentUser> {
    const signedIn = await this.signIn.complete(body.pendingToken, body.code, this.edge.source(req));
    res.setHeader('Set-Cookie', this.edge.sessionCookie(signedIn));
    return signedIn.user;
  }

  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Get()
  @ApiOkResponse({ schema: ref('MfaStatus') })
  status(@Req() req: AuthedRequest): Promise<MfaStatus> {
    return this.enrollment.status(caller(req));
  }

  /** A new secret, shown in this answer only; the factor is on once a first code confirms it. */
  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Post('enrollment')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('MfaEnrollment') })
  begin(@Req() req: AuthedRequest): Promise<MfaEnrollment> {
    return this.enrollment.begin(caller(req));
  }

  /** Confirms the enrolment with a first code; the ten recovery codes are in this answer only. */
  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Post('enrollment/confirm')
  @HttpCode(200)
  @ApiBody({ schema: ref('MfaCodeRequest') })
  @ApiOkResponse({ schema: ref('RecoveryCodes') })
  async confirm(
    @Body(new ZodPipe(MfaCodeRequest)) body: MfaCodeBody,
    @Req() req: AuthedRequest,
  ): Promise<RecoveryCodes> {
    return { recoveryCodes: await this.enrollment.confirm(caller(req), body.code, this.edge.source(req)) };
  }

  @AnySignedInUser()
  @ApiCookieAuth()
  @Post('recovery-codes')
  @HttpCode(200)
  @ApiBody({ schema: ref('FreshSecondFactor') })
  @ApiOkResponse({ schema: ref('RecoveryCodes') })
  async regenerate(
    @Body(new ZodPipe(FreshSecondFactor)) body: FreshFactorBody,
    @Req() req: AuthedRequest,
  ): Promise<RecoveryCodes> {
    return {
      recoveryCodes: await this.enrollment.regenerateRecoveryCodes(caller(req), body, this.edge.source(req)),
    };
  }

  /** Turns the caller's own factor off, with a current code. */
  @AnySignedInUser()
  @ApiCookieAuth()
  @Post('disable')
  @HttpCode(204)
  @ApiBody({ schema: ref('MfaCodeRequest') })
  async disable(@Body(new ZodPipe(MfaCodeRequest)) body: MfaCodeBody, @Req() req: AuthedRequest): Promise<void> {
    await this.enrollment.disable(caller(req), body.code, this.edge.source(req));
  }
}

/** The signed-in caller, as the session guard left it on the request. */
function caller(req: AuthedRequest): MfaUser {
  return { id: req.session?.userId ?? '', username: req.user?.username ?? '', role: req.user?.role ?? 'analyst' };
}
