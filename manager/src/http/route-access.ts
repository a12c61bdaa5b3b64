// Route metadata for access control: every API route needs a signed-in user
// unless @Public(); @RequirePermission() routes need a role holding that
// permission (shared/src/api/access.schema.ts says which role holds which).
import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@wardwatch/shared';

export const PUBLIC_ROUTE = 'ww:public';
export const REQUIRED_PERMISSION = 'ww:permission';
export const ALLOWED_WITH_ONE_TIME_PASSWORD = 'ww:one-time-password-ok';

export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);
/** Enrollment, revocation and the audit trail: what admins manage. */
export const AdminOnly = () => RequirePermission('agents:manage');
/** The few routes a user signed in with a one-time password may use: who am I, change it. */
export const AllowedWithOneTimePassword = () => SetMetadata(ALLOWED_WITH_ONE_TIME_PASSWORD, true);
