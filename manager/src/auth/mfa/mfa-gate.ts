// Which users must have a second factor before they may do anything but enrol: those
// whose role is in WARDWATCH_MFA_REQUIRED_ROLES and who have neither a confirmed TOTP
// app nor a security key. The
// session guard asks on every request of such a role (one indexed read); other roles
// cost nothing.
import { Inject, Injectable } from '@nestjs/common';
import type { CurrentUser, UserRole } from '@wardwatch/shared';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { MfaRepository } from './mfa.repository';
import { SecurityKeyRepository } from './webauthn/security-key.repository';

@Injectable()
export class MfaGate {
  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'mfa'>,
    private readonly factors: MfaRepository,
    private readonly securityKeys: SecurityKeyRepository,
  ) {}

  requiredFor(role: UserRole): boolean {
    return this.config.mfa.requiredRoles.includes(role);
  }

  async enrollmentRequired(userId: string, role: UserRole): Promise<boolean> {
    if (!this.requiredFor(role)) return false;
    // An app or a security key: either one satisfies the requirement.
    return !(await this.factors.isEnabled(userId)) && !(await this.securityKeys.hasAny(userId));
  }

  /** The dashboard's view of the user, marked when only enrolling is allowed. */
  async mark(user: CurrentUser, userId: string): Promise<CurrentUser> {
    return (await this.enrollmentRequired(userId, user.role)) ? { ...user, mfaEnrollmentRequired: true } : user;
  }
}
