// Clinical roles of the monitored staff, kept by an admin per pseudonymous user token
// (alerts carry the token, never the name): playbooks may match on the role of the user
// behind an alert (`userRolesAnyOf`). A user with no role on record matches no role.
import { z } from 'zod';

export const clinicalRoles = ['nurse', 'physician', 'pharmacist', 'it_staff', 'admin_staff'] as const;
export const ClinicalRole = z.enum(clinicalRoles);
export type ClinicalRole = z.infer<typeof ClinicalRole>;

/** A user's pseudonym as alerts carry it: `u_` and 16 hex digits. */
export const UserToken = z.string().regex(/^u_[0-9a-f]{16}$/, 'a user token: u_ and 16 lower-case hex digits');

/** PUT /api/v1/staff-roles/:userToken — sets (or replaces) the user's role. */
export const SetStaffRoleRequest = z.strictObject({ role: ClinicalRole });
export type SetStaffRoleRequest = z.infer<typeof SetStaffRoleRequest>;

export const StaffRoleView = z.object({
  userToken: z.string(),
  role: ClinicalRole,
  updatedAt: z.number().int(),
  updatedBy: z.string(),
});
export type StaffRoleView = z.infer<typeof StaffRoleView>;

export const StaffRoleQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
});
export type StaffRoleQuery = z.infer<typeof StaffRoleQuery>;

/** Ordered by token; `nextCursor` as every paged list of the API. */
export const StaffRolePage = z.object({ items: z.array(StaffRoleView), nextCursor: z.string().optional() });
export type StaffRolePage = z.infer<typeof StaffRolePage>;
