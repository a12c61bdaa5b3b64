// Who is calling, and may they? Reads the session cookie (SessionService refuses a lapsed
// session and counts the request as activity unless it is a background refresh), refuses a user who still
// holds a one-time password anywhere but the password change (or must enrol a second factor
// anywhere but enrolling, auth/mfa/), and checks the
// route's permission. Every refusal of a signed-in user is audited: a refused
// attempt to re-identify someone is as telling as a granted one. A route that
// declares no access (route-access.ts) is refused for everyone: fail closed.
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { hasPermission } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { isBackgroundRequest, readCookie, SESSION_COOKIE, type AuthedRequest } from '../http/request-context';
import { SessionService } from './session.service';
import { ALLOWED_WITH_ONE_TIME_PASSWORD, routeAccessOf } from '../http/route-access';
import { MfaGate } from './mfa/mfa-gate';
import { ALLOWED_BEFORE_MFA_ENROLLMENT } from './mfa/mfa-route-access';

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
    private readonly mfaGate: MfaGate,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = routeAccessOf(this.reflector, context.getHandler(), context.getClass());
    if (access.kind === 'public') return true;
    if (access.kind === 'undeclared') {
      throw new ForbiddenException({ message: 'this route declares no access rule', code: 'route_undeclared' });
    }
    const req = context.switchToHttp().getRequest<AuthedRequest & { method?: string; originalUrl?: string }>();
    const token = readCookie(req, SESSION_COOKIE);
    // Neither an automatic refresh nor a live stream (which its browser reopens by itself) is the user at work.
    const activity = !isBackgroundRequest(req) && !this.reflector.get<boolean>(SSE_METADATA, context.getHandler());
    const session = token ? await this.sessions.resolve(token, activity) : undefined;
    if (!session) throw new UnauthorizedException('sign in first');
    const { user } = session;
    req.user = user;
    req.session = { tokenHash: session.tokenHash, userId: session.userId };
    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOWED_WITH_ONE_TIME_PASSWORD, targets)
    ) {
      throw new ForbiddenException({
        message: 'replace your one-time password first (POST /api/v1/auth/password)',
        code: 'password_change_required',
      });
    }
    // A role that must use a second factor, without one yet: enrolling is all there is (auth/mfa/).
    // The one-time password comes first: the gate above already holds that user to changing it.
    if (!user.mustChangePassword && (await this.mfaGate.enrollmentRequired(session.userId, user.role))) {
      req.user = { ...user, mfaEnrollmentRequired: true };
      if (!this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_MFA_ENROLLMENT, targets)) {
        throw new ForbiddenException({
          message: 'set up a second factor first (POST /api/v1/auth/mfa/enrollment)',
          code: 'mfa_enrollment_required',
        });
      }
    }
    if (access.kind === 'permission' && !hasPermission(user.role, access.permission)) {
      const permission = access.permission;
      const route = `${req.method ?? '?'} ${(req.originalUrl ?? '').split('?')[0]}`.slice(0, 255);
      await this.audit.append({
        actor: user.username,
        action: 'access.denied',
        target: route,
        details: { permission, role: user.role },
      });
      throw new ForbiddenException({
        message: `this needs the permission "${permission}", which the role "${user.role}" does not hold`,
        code: 'forbidden',
      });
    }
    return true;
  }
}
