import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ChangePasswordRequest, CurrentUser, LoginRequest, type LoginResponse } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type { ChangePasswordRequest as ChangePasswordBody, LoginRequest as LoginBody } from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { ref } from '../http/openapi';
import { readCookie, SESSION_COOKIE, type AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { AuthService } from './auth.service';
import { sessionCookie } from './session-cookie';
import { SessionService } from './session.service';
import { AllowedWithOneTimePassword, AnySignedInUser, Public } from '../http/route-access';
import { clientAddress, TrustedProxies } from './throttle/client-address';
import { AllowedBeforeMfaEnrollment } from './mfa/mfa-route-access';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  private readonly secureCookie: boolean;

  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly proxies: TrustedProxies,
    @Inject(MANAGER_CONFIG) config: ManagerConfig,
  ) {
    this.secureCookie = config.http.tls.kind !== 'off';
  }

  /** The client's address: X-Forwarded-For only through a configured trusted proxy (throttle/client-address.ts). */
  private source(req: AuthedRequest): string {
    return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.proxies);
  }

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
    const signedIn = await this.auth.login(body.username, body.password, this.source(req));
    // A second factor is due (auth/mfa/): no session yet, only the pending token in the body.
    if ('pendingToken' in signedIn) return signedIn;
    res.setHeader(
      'Set-Cookie',
      sessionCookie(signedIn.token, Math.floor((signedIn.expiresAt - Date.now()) / 1000), this.secureCookie),
    );
    return signedIn.user;
  }

  /** Ends this session (its open streams close); public so that a lapsed session can still clear its cookie. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: ServerResponse): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await this.sessions.end(token);
    res.setHeader('Set-Cookie', sessionCookie('', 0, this.secureCookie));
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
      this.source(req),
      req.session?.tokenHash,
    );
  }
}
