// Dashboard sign-in: password check, a session from SessionService, sign-ins
// audited. Throttling (throttle/) decides before any hashing whether an attempt is
// checked at all; the request body was validated before this is called. A password
// change ends the user's other sessions (the one that changed it stays signed in).
import { Injectable } from '@nestjs/common';
import type { CurrentUser, MfaChallenge } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../database/transaction.runner';
import { AuthError } from './auth.errors';
import { PasswordHasher } from './password.hasher';
import { currentUser } from './current-user';
import { SessionService } from './session.service';
import type { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { SignInThrottle, type Refusal } from './throttle/sign-in-throttle';
import { MfaSignInService } from './mfa/mfa-sign-in.service';

export interface SignedIn {
  token: string;
  expiresAt: number;
  user: CurrentUser;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly mfa: MfaSignInService,
  ) {}

  /** A session, or (for a user with a second factor) the challenge of the second step. */
  async login(username: string, password: string, ip: string): Promise<SignedIn | MfaChallenge> {
    const refusal = await this.throttle.admit(username, ip);
    if (refusal) throw refused(refusal, 'too many failed sign-ins');
    const user = await this.users.findByUsername(username);
    // An unknown name costs one hash too, so that timing does not tell which names exist.
    const ok = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyDummy(password);
    if (!user || !ok) {
      await this.throttle.recordFailure(username, ip);
      await this.audit.append({ actor: `ip:${ip}`, action: 'auth.login_failed', target: username.slice(0, 128) });
      throw new AuthError('unauthenticated', 'wrong username or password');
    }
    await this.throttle.recordSuccess(username, ip);
    if (user.disabledAt !== null) {
      await this.audit.append({
        actor: `ip:${ip}`,
        action: 'auth.login_refused',
        target: user.username,
        details: { why: 'disabled' },
      });
      throw new AuthError('forbidden', 'this account is disabled; ask an administrator');
    }
    if (this.hasher.needsRehash(user.passwordHash)) await this.rehash(user, password);
    if (await this.mfa.usesSecondFactor(user.id)) return this.mfa.challenge(user, ip);
    const { token, expiresAt } = await this.sessions.start(user.id);
    await this.audit.append({
      actor: user.username,
      action: 'auth.login',
      target: user.username,
      details: { ip, oneTimePassword: user.mustChangePassword },
    });
    return { token, expiresAt, user: await this.mfa.mark(currentUser(user), user.id) };
  }

  /**
   * Replaces the caller's password (a one-time one included) after checking the current one,
   * and ends the user's other sessions: whoever else held one must sign in with the new password.
   * The session `keepTokenHash` (the caller's) stays.
   */
  async changePassword(
    username: string,
    currentPassword: string,
    newPassword: string,
    ip: string,
    keepTokenHash?: string,
  ): Promise<CurrentUser> {
    const refusal = await this.throttle.admit(username, ip);
    if (refusal) throw refused(refusal, 'too many wrong passwords');
    const user = await this.users.findByUsername(username);
    if (!user || user.disabledAt !== null) throw new AuthError('unauthenticated', 'sign in first');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      await this.throttle.recordFailure(username, ip);
      await this.audit.append({
        actor: username,
        action: 'auth.password_change_failed',
        target: username,
        details: { ip },
      });
      throw new AuthError('forbidden', 'the current password is wrong');
    }
    await this.throttle.recordSuccess(username, ip);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.transactions.run(async (tx) => {
      await this.users.update(user.id, { passwordHash, mustChangePassword: false }, tx);
      const sessionsEnded = await this.sessions.endAllOf(user.id, tx, keepTokenHash);
      await this.audit.append(
        {
          actor: username,
          action: 'auth.password_change',
          target: username,
          details: { ip, wasOneTimePassword: user.mustChangePassword, sessionsEnded },
        },
        tx,
      );
    });
    this.sessions.announceEnded(user.id, 'password_change', keepTokenHash);
    return this.mfa.mark(currentUser({ ...user, mustChangePassword: false }), user.id);
  }

  /** The password was right but its stored hash is weaker than today's parameters: store a new one. */
  private async rehash(user: UserEntity, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    await this.transactions.run(async (tx) => {
      await this.users.update(user.id, { passwordHash }, tx);
      await this.audit.append(
        { actor: 'system', action: 'auth.password_rehashed', target: user.username, details: { scheme: 'scrypt' } },
        tx,
      );
    });
  }
}

function refused(refusal: Refusal, what: string): AuthError {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1_000));
  const why = refusal.why === 'source_limit' ? 'from this address' : 'for this account';
  return new AuthError('rate_limited', `${what} ${why}; try again in ${seconds} s`, refusal.retryAfterMs);
}
