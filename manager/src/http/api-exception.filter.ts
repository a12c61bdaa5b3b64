// The one place where errors become HTTP answers: known errors keep their status
// and message, domain errors map by code, the body parser's refusals keep theirs,
// anything else is logged once with context and answered with a generic message.
import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DomainError, type ErrorStatus } from '../common/domain-error';
import type { JsonLogger } from '../logging/json-logger';
import type { AuthedRequest } from './request-context';

const httpStatus: Record<ErrorStatus, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

type Reply = ServerResponse & { status(code: number): Reply; json(body: unknown): void };

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Reply>();
    const req = http.getRequest<AuthedRequest & { method?: string; originalUrl?: string }>();
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      res.status(error.getStatus()).json(typeof body === 'string' ? { message: body } : body);
      return;
    }
    if (error instanceof DomainError) {
      if (error.retryAfterMs !== undefined)
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1_000))));
      res.status(httpStatus[error.status]).json({ message: error.message, code: error.code });
      return;
    }
    if (isRefusedRequest(error)) {
      res.status(error.status).json({ message: error.message });
      return;
    }
    this.log.error('request failed', {
      method: req.method,
      path: req.originalUrl?.split('?')[0],
      error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    res.status(500).json({ message: 'internal error' });
  }
}

/**
 * A request the body parser refused before Nest routed it (too large, an unsupported
 * charset or content encoding): an http-errors client error, whose `expose` says its
 * message was written for the client. Without this it would be answered as a 500.
 */
function isRefusedRequest(error: unknown): error is Error & { status: number } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}
