// The two-step sign-in of a user with a second factor. The password step (AuthService)
// ends here with a challenge: a pending token, not a session. It is signed with the MFA
// key (so it cannot be forged without the key file), names the user, expires after
// PENDING_LIFETIME_MS, and carries a tag of the password hash (a password change voids
// it). It is not stored, so it is not single-use by itself; what it unlocks is: each
// code is spent when accepted (mfa-factor-check.ts), and guessing is throttled.
import { Injectable } from '@nestjs/common';
import type { CurrentUser, MfaChallenge } from '@wardwatch/shared';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { currentUser } from '../current-user';
import { SessionService, type StartedSession } from '../session.service';
import type { UserEntity } from '../user.entity';
import { UserRepository } from '../user.repository';
import { MfaCrypto } from './mfa-crypto';
import { MfaFactorCheck, type FactorUsed } from './mfa-factor-check';
import { MfaGate } from './mfa-gate';
import { MfaError } from './mfa.errors';
import { MfaRepository } from './mfa.repository';
import { SecurityKeyRepository } from './webauthn/security-key.repository';

type SecondFactorMethod = 'totp' | 'security_key';

export const PENDING_LIFETIME_MS = 5 * 60_000;

export interface MfaSignedIn extends StartedSession {
  user: CurrentUser;
}

@Injectable()
export class MfaSignInService {
  constructor(
    private readonly factors: MfaRepository,
    private readonly securityKeys: SecurityKeyRepository,
    private readonly crypto: MfaCrypto,
    private readonly check: MfaFactorCheck,
    private readonly gate: MfaGate,
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Whether the password step must stop at a challenge for this user. */
  async usesSecondFactor(userId: string): Promise<boolean> {
    return (await this.methods(userId)).length > 0;
  }

  private async methods(userId: string): Promise<SecondFactorMethod[]> {
    const [totp, keys] = await Promise.all([this.factors.isEnabled(userId), this.securityKeys.hasAny(userId)]);
    return [...(totp ? (['totp'] as const) : []), ...(keys ? (['security_key'] as const) : [])];
  }

  /** The user as sign-in answers it: marked when the role needs a factor the user has not set up. */
  mark(user: CurrentUser, userId: string): Promise<CurrentUser> {
    return this.gate.mark(user, userId);
  }

  /** After a right password: the token for the second step, audited as half a sign-in. */
  async challenge(user: UserEntity, ip: string): Promise<MfaChallenge> {
    const expiresAt = this.clock.now() + PENDING_LIFETIME_MS;
    const pendingToken = this.crypto.signPending({
      u: user.id,
      e: expiresAt,
      p: this.crypto.passwordTag(user.passwordHash),
    });
    await this.audit.append({
      actor: user.username,
      action: 'auth.login_password_accepted',
      target: user.username,
      details: { ip, next: 'mfa' },
    });
    return { status: 'mfa_required', pendingToken, expiresAt, methods: await this.methods(user.id) };
  }

  /**
   * The second step: a valid pending token and a code from the app, or a recovery code, start
   * the session. An account with security keys only has recovery codes but no app.
   */
  async complete(pendingToken: string, code: string, ip: string): Promise<MfaSignedIn> {
    const user = await this.pendingUser(pendingToken);
    const factor = await this.factors.find(user.id);
    const app = factor && factor.confirmedAt !== null ? factor : null;
    // Reset by an admin between the two steps: the password step would not ask for a code now.
    if (!app && !(await this.securityKeys.hasAny(user.id))) throw expiredSignIn();
    const used = await this.check.verify(user, app, code, ip, 'sign_in', true);
    return this.startSession(user, ip, used);
  }

  /** The user a pending token names, while it is valid (unexpired, same password, not disabled). */
  async pendingUser(pendingToken: string): Promise<UserEntity> {
    const claims = this.crypto.readPending(pendingToken);
    if (!claims || claims.e <= this.clock.now()) throw expiredSignIn();
    const user = await this.users.findById(claims.u);
    if (!user || this.crypto.passwordTag(user.passwordHash) !== claims.p) throw expiredSignIn();
    if (user.disabledAt !== null)
      throw new MfaError('account_disabled', 'this account is disabled; ask an administrator');
    return user;
  }

  /** After an accepted second factor: the session, audited as the sign-in. */
  async startSession(user: UserEntity, ip: string, used: FactorUsed): Promise<MfaSignedIn> {
    const session = await this.sessions.start(user.id);
    await this.audit.append({
      actor: user.username,
      action: 'auth.login',
      target: user.username,
      details: { ip, oneTimePassword: user.mustChangePassword, secondFactor: used },
    });
    return { ...session, user: currentUser(user) };
  }
}

function expiredSignIn(): MfaError {
  return new MfaError('mfa_sign_in_expired', 'this sign-in has expired; enter your password again');
}
