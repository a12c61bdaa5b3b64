// What every sign-in route (password, second factor, single sign-on) does at the HTTP edge:
// read the client's address for the throttle, and set or clear the session cookie.
import { Inject, Injectable } from '@nestjs/common';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { SESSION_COOKIE, type AuthedRequest } from '../http/request-context';
import { clientAddress, TrustedProxies } from './throttle/client-address';

@Injectable()
export class SignInEdge {
  /** `Secure` whenever the dashboard is served over TLS, so no cookie travels in clear. */
  readonly secure: boolean;

  constructor(
    private readonly proxies: TrustedProxies,
    @Inject(MANAGER_CONFIG) config: ManagerConfig,
  ) {
    this.secure = config.http.tls.kind !== 'off';
  }

  /** The client's address: X-Forwarded-For only through a configured trusted proxy (throttle/client-address.ts). */
  source(req: AuthedRequest): string {
    return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.proxies);
  }

  /** The cookie of a new session, living as long as the session may. */
  sessionCookie(signedIn: { token: string; expiresAt: number }): string {
    return this.cookie(signedIn.token, Math.floor((signedIn.expiresAt - Date.now()) / 1000));
  }

  /** The cookie that ends the browser's session. */
  clearedCookie(): string {
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const flags = this.secure ? '; Secure' : '';
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${flags}`;
  }
}
