// Which WardWatch role a provider's claim grants. The claim may be a string or a list of
// strings (groups, roles); values of any other type are ignored, never coerced. When several
// values match, the most privileged role wins (the order of `userRoles`: admin first), so that
// the order of groups in a token cannot change the outcome.
import { userRoles, type UserRole } from '@wardwatch/shared';
import type { RoleRule } from '../../config/oidc-settings';

/** Values read from one claim at most: a hostile or broken provider cannot make us loop for long. */
export const MAX_CLAIM_VALUES = 1_000;

export function claimValues(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (!Array.isArray(claim)) return [];
  return claim.slice(0, MAX_CLAIM_VALUES).filter((value): value is string => typeof value === 'string');
}

/** The mapped role, or undefined when no value of the claim is mapped. */
export function mapRole(claim: unknown, rules: readonly RoleRule[]): UserRole | undefined {
  const values = new Set(claimValues(claim));
  const granted = new Set(rules.filter((rule) => values.has(rule.claimValue)).map((rule) => rule.role));
  return userRoles.find((role) => granted.has(role));
}
