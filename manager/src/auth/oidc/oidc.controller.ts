// The browser's side of single sign-on. `start` and `callback` are top-level navigations,
// not API calls: they answer with redirects, and a refusal sends the browser back to the
// sign-in page with the reason in the query (the reason is also in the audit trail).
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SsoStatus } from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { ref } from '../../http/openapi';
import { readCookie, type AuthedRequest } from '../../http/request-context';
import { Public } from '../../http/route-access';
import { AuthError } from '../auth.errors';
import { SignInEdge } from '../session-cookie';
import { OidcSignInService } from './oidc-sign-in.service';

const TRANSACTION_COOKIE = 'ww_oidc';
/** Sent only back to the callback; Lax, because the provider's redirect is a cross-site navigation. */
const TRANSACTION_PATH = '/api/v1/auth/oidc/callback';

@ApiTags('auth')
@Controller('api/v1/auth/oidc')
export class OidcController {
  constructor(
    private readonly signIn: OidcSignInService,
    private readonly edge: SignInEdge,
  ) {}

  /** Tells the sign-in page whether to offer "Sign in with SSO". */
  @Public()
  @Get('status')
  @ApiOkResponse({ schema: ref('SsoStatus') })
  status(): SsoStatus {
    return { enabled: this.signIn.enabled };
  }

  /** Sends the browser to the provider, with a fresh single-use transaction in a cookie. */
  @Public()
  @Get('start')
  async start(@Req() req: AuthedRequest, @Res() res: ServerResponse): Promise<void> {
    try {
      const started = await this.signIn.start(this.edge.source(req));
      res.setHeader('Set-Cookie', this.transactionCookie(started.transactionToken, started.maxAgeSeconds));
      redirect(res, started.redirect.href);
    } catch (error) {
      this.refused(res, error);
    }
  }

  /** Where the provider sends the browser back with a code (or an error). */
  @Public()
  @Get('callback')
  async callback(@Req() req: AuthedRequest, @Res() res: ServerResponse): Promise<void> {
    const search = new URL(req.url ?? '/', 'http://callback').search;
    const clear = this.transactionCookie('', 0);
    try {
      const signedIn = await this.signIn.finish(readCookie(req, TRANSACTION_COOKIE), search, this.edge.source(req));
      res.setHeader('Set-Cookie', [clear, this.edge.sessionCookie(signedIn)]);
      redirect(res, '/#/');
    } catch (error) {
      res.setHeader('Set-Cookie', clear);
      this.refused(res, error);
    }
  }

  private transactionCookie(value: string, maxAgeSeconds: number): string {
    const flags = this.edge.secure ? '; Secure' : '';
    return `${TRANSACTION_COOKIE}=${value}; Path=${TRANSACTION_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${flags}`;
  }

  /** Back to the sign-in page with the reason; an unexpected error goes on to the exception filter. */
  private refused(res: ServerResponse, error: unknown): void {
    if (!(error instanceof AuthError)) throw error;
    redirect(res, `/?sso_error=${encodeURIComponent(error.message)}#/`);
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}
