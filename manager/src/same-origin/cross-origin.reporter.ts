// Reports a refused cross-origin write: one warning line always; an audit row
// `http.cross_origin_refused` when the request carried a live session, i.e. a
// page tried to act as that user. Requests without one are only logged, so that
// anyone on the network cannot fill the audit trail.
import type { IncomingMessage } from 'node:http';
import type { AuditService } from '../audit/audit.service';
import type { SessionService } from '../auth/session.service';
import { readCookie, SESSION_COOKIE } from '../http/request-context';
import type { JsonLogger } from '../logging/json-logger';
import type { Refusal, RefusalReporter } from './same-origin.middleware';
import type { WriteRequest } from './request-origin.policy';

export class CrossOriginReporter implements RefusalReporter {
  constructor(
    private readonly sessions: Pick<SessionService, 'resolve'>,
    private readonly audit: Pick<AuditService, 'append'>,
    private readonly log: JsonLogger,
  ) {}

  async report(refusal: Refusal, req: IncomingMessage, seen: WriteRequest): Promise<void> {
    const route = `${seen.method} ${(req.url ?? '').split('?')[0]}`.slice(0, 255);
    const details = {
      reason: refusal.reason,
      origin: (seen.origin ?? '').slice(0, 200),
      secFetchSite: (seen.secFetchSite ?? '').slice(0, 40),
      source: req.socket.remoteAddress ?? 'unknown',
    };
    this.log.warn('cross-origin write refused', { route, ...details });
    await this.auditIfSignedIn(req, route, details).catch((error: unknown) =>
      this.log.error('could not audit a cross-origin refusal', { route, error }),
    );
  }

  private async auditIfSignedIn(req: IncomingMessage, route: string, details: Record<string, string>): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    // Looking is not activity: a refused write must not keep an idle session alive.
    const session = token ? await this.sessions.resolve(token, false) : undefined;
    if (!session) return;
    await this.audit.append({
      actor: session.user.username,
      action: 'http.cross_origin_refused',
      target: route,
      details,
    });
  }
}
