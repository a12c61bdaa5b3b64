// Security keys over HTTP: the caller's own keys (list, register, remove with a fresh
// second factor) and the security-key form of the second sign-in step (public: there is
// no session yet, only the pending token). Translates only; SecurityKeyService decides.
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  SecurityKeyOptionsRequest,
  SecurityKeyRegistrationRequest,
  FreshSecondFactor,
  SecurityKeySignInRequest,
} from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  CurrentUser,
  SecurityKeyCreationOptions,
  SecurityKeyOptionsRequest as OptionsBody,
  SecurityKeyRegistered,
  SecurityKeyRegistrationRequest as RegistrationBody,
  FreshSecondFactor as FreshFactorBody,
  SecurityKeyRequestOptions,
  SecurityKeys,
  SecurityKeySignInRequest as SignInBody,
} from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { ref } from '../../../http/openapi';
import type { AuthedRequest } from '../../../http/request-context';
import { AnySignedInUser, Public } from '../../../http/route-access';
import { ZodPipe } from '../../../http/zod.pipe';
import { SignInEdge } from '../../session-cookie';
import type { FactorOwner } from '../mfa-factor-check';
import { AllowedBeforeMfaEnrollment } from '../mfa-route-access';
import { SecurityKeyService } from './security-key.service';

const KEY_ID = z.string().regex(/^sk_[0-9a-f]{24}$/);

@ApiTags('auth')
@Controller('api/v1/auth/mfa/security-keys')
export class SecurityKeyController {
  constructor(
    private readonly keys: SecurityKeyService,
    private readonly edge: SignInEdge,
  ) {}

  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Get()
  @ApiOkResponse({ schema: ref('SecurityKeys') })
  list(@Req() req: AuthedRequest): Promise<SecurityKeys> {
    return this.keys.list(caller(req));
  }

  /** Options for navigator.credentials.create(); the challenge is good once, for 2 minutes. */
  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Post('registration-options')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('SecurityKeyCreationOptions') })
  registrationOptions(@Req() req: AuthedRequest): Promise<SecurityKeyCreationOptions> {
    return this.keys.registrationOptions(caller(req));
  }

  /** Stores the key the browser made over the last registration challenge (the first factor: with recovery codes). */
  @AnySignedInUser()
  @AllowedBeforeMfaEnrollment()
  @ApiCookieAuth()
  @Post()
  @HttpCode(200)
  @ApiBody({ schema: ref('SecurityKeyRegistrationRequest') })
  @ApiOkResponse({ schema: ref('SecurityKeyRegistered') })
  register(
    @Body(new ZodPipe(SecurityKeyRegistrationRequest)) body: RegistrationBody,
    @Req() req: AuthedRequest,
  ): Promise<SecurityKeyRegistered> {
    return this.keys.register(caller(req), body.name, body.credential, this.edge.source(req));
  }

  /** Options for signing with one of the caller's keys (to remove a key). */
  @AnySignedInUser()
  @ApiCookieAuth()
  @Post('step-up-options')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('SecurityKeyRequestOptions') })
  stepUpOptions(@Req() req: AuthedRequest): Promise<SecurityKeyRequestOptions> {
    return this.keys.stepUpOptions(caller(req));
  }

  /** Removes one of the caller's keys, with a code from the app or a signature of a key. */
  @AnySignedInUser()
  @ApiCookieAuth()
  @Post(':id/remove')
  @HttpCode(204)
  @ApiBody({ schema: ref('FreshSecondFactor') })
  async remove(
    @Param('id', new ZodPipe(KEY_ID)) id: string,
    @Body(new ZodPipe(FreshSecondFactor)) body: FreshFactorBody,
    @Req() req: AuthedRequest,
  ): Promise<void> {
    await this.keys.remove(caller(req), id, body, this.edge.source(req));
  }

  /** Second step of sign-in with a key: options for the user the pending token names. */
  @Public()
  @Post('sign-in-options')
  @HttpCode(200)
  @ApiBody({ schema: ref('SecurityKeyOptionsRequest') })
  @ApiOkResponse({ schema: ref('SecurityKeyRequestOptions') })
  signInOptions(@Body(new ZodPipe(SecurityKeyOptionsRequest)) body: OptionsBody): Promise<SecurityKeyRequestOptions> {
    return this.keys.signInOptions(body.pendingToken);
  }

  /** Second step of sign-in with a key: the signature starts the session (sets the cookie). */
  @Public()
  @Post('sign-in')
  @HttpCode(200)
  @ApiBody({ schema: ref('SecurityKeySignInRequest') })
  @ApiOkResponse({ schema: ref('CurrentUser') })
  async signIn(
    @Body(new ZodPipe(SecurityKeySignInRequest)) body: SignInBody,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<CurrentUser> {
    const signedIn = await this.keys.completeSignIn(body.pendingToken, body.credential, this.edge.source(req));
    res.setHeader('Set-Cookie', this.edge.sessionCookie(signedIn));
    return signedIn.user;
  }
}

/** The signed-in caller, as the session guard left it on the request. */
function caller(req: AuthedRequest): FactorOwner {
  return { id: req.session?.userId ?? '', username: req.user?.username ?? '' };
}
