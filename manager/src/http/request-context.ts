import type { IncomingMessage } from 'node:http';
import type { CurrentUser } from '@wardwatch/shared';

export const SESSION_COOKIE = 'ww_session';

/** `session`: the signed-in session (hash of its token, its user), set by the session guard. */
export type AuthedRequest = IncomingMessage & {
  user?: CurrentUser;
  ip?: string;
  session?: { tokenHash: string; userId: string };
};

/**
 * The dashboard's automatic refreshes send this header: they do not count as activity,
 * so a screen left open still reaches the idle timeout.
 */
export const BACKGROUND_HEADER = 'x-wardwatch-background';

export function isBackgroundRequest(req: IncomingMessage): boolean {
  return req.headers[BACKGROUND_HEADER] === '1';
}

/** The cookie's value; undefined when it is absent or not validly percent-encoded (no cookie we set is). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeOrUndefined(part.slice(eq + 1).trim());
  }
  return undefined;
}

function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined; // a URIError would otherwise reach the client as a 500
  }
}

export function clientIp(req: AuthedRequest): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
