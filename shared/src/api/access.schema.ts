// Who may do what on the manager. Roles are fixed bundles of permissions, and
// routes are guarded by permission, so that "may re-identify" is one question
// asked in one place. Re-identification is deliberately not part of admin:
// whoever manages accounts should not also be able to unmask the people in them.
import { z } from 'zod';

export const permissions = [
  'events:read',
  'agents:manage',
  'users:manage',
  'audit:read',
  'reidentify',
  'playbooks:manage',
  'response:approve',
  'response:manage',
  'alerts:triage',
  'integrations:manage',
  'policies:read',
  'policies:manage',
  'reports:read',
] as const;
export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

export const userRoles = ['admin', 'analyst', 'privacy_officer', 'it_staff'] as const;
export const UserRole = z.enum(userRoles);
export type UserRole = z.infer<typeof UserRole>;

export const rolePermissions: Record<UserRole, readonly Permission[]> = {
  /** Runs the installation: accounts, enrollment, the audit trail, playbooks and responses; reads events. */
  admin: [
    'events:read',
    'agents:manage',
    'users:manage',
    'audit:read',
    'playbooks:manage',
    'response:approve',
    'response:manage',
    'alerts:triage',
    'integrations:manage',
    'policies:read',
    'policies:manage',
    'reports:read',
  ],
  /**
   * Investigates behaviour under pseudonyms, triages alerts, approves or rejects the responses
   * playbooks propose, and reads the incident reports of what it triaged.
   */
  analyst: ['events:read', 'response:approve', 'alerts:triage', 'policies:read', 'reports:read'],
  /**
   * Reads events and the audit trail, alone may tie a pseudonym to a person, and reads the
   * compliance and incident reports (the breach-notification clock is theirs to watch).
   */
  privacy_officer: ['events:read', 'audit:read', 'reidentify', 'reports:read'],
  /** Sends and undoes response commands and hands out maintenance codes; reads events. */
  it_staff: ['events:read', 'response:manage'],
};

export function hasPermission(role: UserRole, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** Account names: what people type at sign-in, nothing that needs escaping anywhere. */
export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore');

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  role: UserRole,
  status: z.enum(['active', 'disabled']),
  /** True until the user replaces the one-time password. */
  mustChangePassword: z.boolean(),
  createdAt: z.number().int(),
  disabledAt: z.number().int().nullable(),
});
export type UserView = z.infer<typeof UserView>;
export const UserList = z.object({ items: z.array(UserView) });
export type UserList = z.infer<typeof UserList>;

/** Why a privileged role is granted: audited; on a single-person site it stands in for the second admin. */
const GrantReason = z.string().trim().min(10).max(500).optional();

export const CreateUserRequest = z.strictObject({ username: Username, role: UserRole, reason: GrantReason });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** An admin gives an account another role; its sessions end (it signs in again under the new role). */
export const ChangeRoleRequest = z.strictObject({ role: UserRole, reason: GrantReason });
export type ChangeRoleRequest = z.infer<typeof ChangeRoleRequest>;

/** The answer to "sign out everywhere": how many sessions ended (their live streams closed with them). */
export const SessionsEnded = z.object({ sessionsEnded: z.number().int().min(0) });
export type SessionsEnded = z.infer<typeof SessionsEnded>;

/** The one-time password is shown in this answer only; the user must replace it at first sign-in. */
/** With `pendingGrantId`, the account is disabled until a second admin approves its role. */
export const CreatedUser = z.object({
  user: UserView,
  oneTimePassword: z.string(),
  pendingGrantId: z.string().optional(),
});
export type CreatedUser = z.infer<typeof CreatedUser>;

export const MIN_PASSWORD_LENGTH = 12;
export const ChangePasswordRequest = z
  .strictObject({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
  })
  .refine((body) => body.newPassword !== body.currentPassword, {
    message: 'the new password must differ from the current one',
    path: ['newPassword'],
  });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;
