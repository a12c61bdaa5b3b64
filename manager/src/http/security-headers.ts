// Security headers on every response; API answers are never cached.
import type { IncomingMessage, ServerResponse } from 'node:http';

const CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// Swagger UI styles itself inline; its page alone may do that.
const DOCS_CSP = CSP.replace("default-src 'self'", "default-src 'self'; style-src 'self' 'unsafe-inline'");

export function securityHeaders(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0];
  res.setHeader('Content-Security-Policy', path.startsWith('/api/docs') ? DOCS_CSP : CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  if (path.startsWith('/api/') && !path.startsWith('/api/docs')) res.setHeader('Cache-Control', 'no-store');
  next();
}
