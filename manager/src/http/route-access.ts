// Route metadata for access control. Every HTTP route declares exactly one of:
// @Public() (no session: sign-in, health, a scraper with its own check),
// @AnySignedInUser() (a signed-in user's own account, whatever the role), or
// @RequirePermission() (a role holding that permission; shared/src/api/access.schema.ts
// says which role holds which). A route that declares none is refused at run time
// (SessionGuard) and fails route-access.http.test.ts, so none can slip through.
import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Permission } from '@wardwatch/shared';

export const PUBLIC_ROUTE = 'ww:public';
export const ANY_SIGNED_IN_USER = 'ww:any-signed-in-user';
export const REQUIRED_PERMISSION = 'ww:permission';
export const ALLOWED_WITH_ONE_TIME_PASSWORD = 'ww:one-time-password-ok';

export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The caller's own account (who am I, change my password): any role, but signed in. */
export const AnySignedInUser = () => SetMetadata(ANY_SIGNED_IN_USER, true);
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);
/** Enrollment, revocation and the audit trail: what admins manage. */
export const AdminOnly = () => RequirePermission('agents:manage');
/** The few routes a user signed in with a one-time password may use: who am I, change it. */
export const AllowedWithOneTimePassword = () => SetMetadata(ALLOWED_WITH_ONE_TIME_PASSWORD, true);

/** A handler or controller class, as Nest's Reflector takes them. */
type DecoratedTarget = Parameters<Reflector['getAllAndOverride']>[1][number];

export type RouteAccess =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission } | { kind: 'undeclared' };

/**
 * What a handler declares (the method's own decorator wins over its controller's).
 * Two declarations on one route are a mistake, reported as undeclared so it is refused.
 */
export function routeAccessOf(
  reflector: Reflector,
  handler: DecoratedTarget,
  controller: DecoratedTarget,
): RouteAccess {
  const targets = [handler, controller];
  const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true;
  const signedIn = reflector.getAllAndOverride<boolean | undefined>(ANY_SIGNED_IN_USER, targets) === true;
  const permission = reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
  const declared = [isPublic, signedIn, permission !== undefined].filter(Boolean).length;
  if (declared !== 1) return { kind: 'undeclared' };
  if (isPublic) return { kind: 'public' };
  if (signedIn) return { kind: 'signed-in' };
  return { kind: 'permission', permission: permission as Permission };
}
