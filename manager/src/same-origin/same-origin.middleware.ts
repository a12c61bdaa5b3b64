// The edge of the CSRF rule: reads the headers, asks request-origin.policy.ts, and
// answers a refusal as JSON before any body is parsed or any route runs. Every
// cross-origin refusal is reported (log line, and an audit row when it carries a
// live session), since it is most likely a page trying to act as a signed-in user.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { judgeRequest, type OriginPolicy, type OriginVerdict, type WriteRequest } from './request-origin.policy';

export type Refusal = Extract<OriginVerdict, { kind: 'refuse' }>;

export interface RefusalReporter {
  /** Resolves once reported; never rejects. */
  report(refusal: Refusal, req: IncomingMessage, seen: WriteRequest): Promise<void>;
}

export function sameOrigin(policy: OriginPolicy, reporter: RefusalReporter) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const seen = writeRequestOf(req);
    const verdict = judgeRequest(seen, policy);
    if (verdict.kind === 'allow') return next();
    const answer = () => {
      res.writeHead(verdict.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ statusCode: verdict.status, code: verdict.reason, message: verdict.message }));
    };
    // Reported before answering, so whoever reads the audit after the 403 finds the row.
    if (verdict.status === 403) void reporter.report(verdict, req, seen).then(answer);
    else answer();
  };
}

function writeRequestOf(req: IncomingMessage): WriteRequest {
  const h = req.headers;
  const length = h['content-length'];
  return {
    method: req.method ?? 'GET',
    host: h.host,
    origin: h.origin,
    secFetchSite: one(h['sec-fetch-site']),
    contentType: h['content-type'],
    hasBody: h['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'),
  };
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
