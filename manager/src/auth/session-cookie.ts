import { SESSION_COOKIE } from '../http/request-context';

/** `Secure` whenever the dashboard is served over TLS, so the cookie never travels in clear. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const flags = secure ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${flags}`;
}
