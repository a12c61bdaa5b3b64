import type { IncomingMessage } from 'node:http';
import type { CurrentUser } from '@wardwatch/shared';

export const SESSION_COOKIE = 'ww_session';

export type AuthedRequest = IncomingMessage & { user?: CurrentUser; ip?: string };

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function clientIp(req: AuthedRequest): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
