// Every long-lived response (an @Sse() route) lives only as long as the session that
// opened it: it completes when SessionService says the session ended (sign-out, disable,
// role or password change, sign-out everywhere, idle or absolute expiry), which ends the
// HTTP response. Ordinary requests are left alone: they finish on their own.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { takeUntil, type Observable } from 'rxjs';
import type { AuthedRequest } from '../http/request-context';
import { SessionService } from './session.service';

@Injectable()
export class SessionBoundStreams implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.reflector.get<boolean>(SSE_METADATA, context.getHandler()))
      return next.handle();
    const { session } = context.switchToHttp().getRequest<AuthedRequest>();
    if (!session) return next.handle(); // a public stream: nobody's session to follow
    return next.handle().pipe(takeUntil(this.sessions.endOf(session)));
  }
}
