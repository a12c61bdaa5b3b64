// Security headers on every response; API answers are never cached. Over TLS,
// HSTS tells browsers never to try this host in plain HTTP again (no
// includeSubDomains: the manager does not speak for its neighbours).
import type { IncomingMessage, ServerResponse } from 'node:http';

const CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// Swagger UI styles itself inline; its page alone may do that.
const DOCS_CSP = CSP.replace("default-src 'self'", "default-src 'self'; style-src 'self' 'unsafe-inline'");

const HSTS = 'max-age=31536000';

export function securityHeaders(options: { tls: boolean }) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (options.tls) res.setHeader('Strict-Transport-Security', HSTS);
    setCommonHeaders(req, res);
    next();
  };
}

function setCommonHeaders(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  res.setHeader('Content-Security-Policy', path.startsWith('/api/docs') ? DOCS_CSP : CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  if (path.startsWith('/api/') && !path.startsWith('/api/docs')) res.setHeader('Cache-Control', 'no-store');
}
