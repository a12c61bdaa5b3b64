// Who may read /metrics. The numbers say how busy each part of the manager is,
// which is not for everyone on the hospital network: with WARDWATCH_METRICS_TOKEN
// set, a scraper must send `Authorization: Bearer <token>` (from any address);
// without it, only a scraper on this host (a loopback address) is answered.
import { timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

export type MetricsAccess = 'allowed' | 'token_required' | 'loopback_only';

export function metricsAccess(
  remoteAddress: string | undefined,
  authorization: string | undefined,
  token: string | undefined,
): MetricsAccess {
  if (token !== undefined) return bearerMatches(authorization, token) ? 'allowed' : 'token_required';
  return isLoopback(remoteAddress) ? 'allowed' : 'loopback_only';
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}
