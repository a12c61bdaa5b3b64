// Which state-changing requests the manager accepts: the CSRF rule, as a pure decision.
//
// A browser attaches the session cookie to requests another site makes it send, and
// a form or `text/plain` POST needs no CORS preflight. So a write (POST, PUT, PATCH,
// DELETE) must be:
//  - same-origin: an `Origin` header, when present, equals the origin the manager is
//    served at (scheme + the request's Host) or one configured in
//    WARDWATCH_HTTP_ALLOWED_ORIGINS; `Origin: null` is refused. `Sec-Fetch-Site`, when
//    present, must be `same-origin`. Browsers send both on every cross-site write, so
//    a request with neither comes from a non-browser client (CLI, scripts, tests),
//    which holds no victim's cookie: it is allowed.
//  - JSON: a `Content-Type` other than `application/json` (parameters allowed) is 415,
//    and so is a body without one; a write with no body and no type (sign-out, revoke)
//    passes, since it carries nothing to misread.
// The origin check comes first, so a forged form POST is answered 403 and reported.

export interface WriteRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
  hasBody: boolean;
}

export interface OriginPolicy {
  /** How this server is reached: the scheme of its own origin. */
  scheme: 'http' | 'https';
  /** Further origins (e.g. a reverse proxy's public name), lower-case, without a trailing slash. */
  allowedOrigins: readonly string[];
}

export type OriginVerdict =
  | { kind: 'allow' }
  | { kind: 'refuse'; status: 403; reason: 'cross_site' | 'foreign_origin'; message: string }
  | { kind: 'refuse'; status: 415; reason: 'not_json'; message: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function judgeRequest(req: WriteRequest, policy: OriginPolicy): OriginVerdict {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return { kind: 'allow' };
  if (req.secFetchSite !== undefined && req.secFetchSite.toLowerCase() !== 'same-origin') {
    return {
      kind: 'refuse',
      status: 403,
      reason: 'cross_site',
      message: 'state-changing requests must come from the dashboard itself (Sec-Fetch-Site is not same-origin)',
    };
  }
  if (req.origin !== undefined && !isOwnOrigin(req.origin, req.host, policy)) {
    return {
      kind: 'refuse',
      status: 403,
      reason: 'foreign_origin',
      message: 'state-changing requests must come from the dashboard itself (foreign Origin)',
    };
  }
  if (req.contentType === undefined ? req.hasBody : mediaType(req.contentType) !== 'application/json') {
    return { kind: 'refuse', status: 415, reason: 'not_json', message: 'send the body as application/json' };
  }
  return { kind: 'allow' };
}

function isOwnOrigin(origin: string, host: string | undefined, policy: OriginPolicy): boolean {
  const given = origin.trim().toLowerCase();
  if (given === 'null') return false;
  if (policy.allowedOrigins.includes(given)) return true;
  return host !== undefined && given === `${policy.scheme}://${host.trim().toLowerCase()}`;
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
