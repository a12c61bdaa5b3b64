import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ChangePasswordRequest, CurrentUser, LoginRequest, type LoginResponse } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type { ChangePasswordRequest as ChangePasswordBody, LoginRequest as LoginBody } from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { ref } from '../http/openapi';
import { readCookie, SESSION_COOKIE, type AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { AuthService } from './auth.service';
import { SignInEdge } from './session-cookie';
import { SessionService } from './session.service';
import { AllowedWithOneTimePassword, AnySignedInUser, Public } from '../http/route-access';
import { AllowedBeforeMfaEnrollment } from './mfa/mfa-route-access';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly edge: SignInEdge,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiBody({ schema: ref('LoginRequest') })
  @ApiOkResponse({ schema: ref('LoginResponse') })
  async login(
    @Body(new ZodPipe(LoginRequest)) body: LoginBody,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<LoginResponse> {
    const signedIn = await this.auth.login(body.username, body.password, this.edge.source(req));
    // A second factor is due (auth/mfa/): no session yet, only the pending token in the body.
    if ('pendingToken' in signedIn) return signedIn;
    res.setHeader('Set-Cookie', this.edge.sessionCookie(signedIn));
    return signedIn.user;
  }

  /** Ends this session (its open streams close); public so that a lapsed session can still clear its cookie. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: ServerResponse): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await this.sessions.end(token);
    res.setHeader('Set-Cookie', this.edge.clearedCookie());
  }

  @AnySignedInUser()
  @AllowedWithOneTimePassword()
  @AllowedBeforeMfaEnrollment()
  @Get('me')
  @ApiOkResponse({ schema: ref('CurrentUser') })
  me(@Req() req: AuthedRequest): CurrentUser {
    return CurrentUser.parse(req.user);
  }

  /**
   * Replaces the caller's password; with `me` and sign-out the only calls allowed while a one-time
   * password is in use. The caller's other sessions end; this one stays.
   */
  @AnySignedInUser()
  @AllowedWithOneTimePassword()
  @Post('password')
  @HttpCode(200)
  @ApiBody({ schema: ref('ChangePasswordRequest') })
  @ApiOkResponse({ schema: ref('CurrentUser') })
  changePassword(
    @Body(new ZodPipe(ChangePasswordRequest)) body: ChangePasswordBody,
    @Req() req: AuthedRequest,
  ): Promise<CurrentUser> {
    return this.auth.changePassword(
      req.user?.username ?? '',
      body.currentPassword,
      body.newPassword,
      this.edge.source(req),
      req.session?.tokenHash,
    );
  }
}
