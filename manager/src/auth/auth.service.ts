// Dashboard sign-in: password check, a session from SessionService, failures
// rate-limited per username and address, sign-ins audited. A password change ends
// the user's other sessions (the one that changed it stays signed in).
import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../database/transaction.runner';
import { AuthError } from './auth.errors';
import { LoginRateLimiter } from './login-rate.limiter';
import { PasswordHasher } from './password.hasher';
import { currentUser } from './current-user';
import { SessionService } from './session.service';
import { UserRepository } from './user.repository';

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
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, ip: string): Promise<SignedIn> {
    const wait = this.limiter.retryAfterMs(username, ip);
    if (wait > 0)
      throw new AuthError('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minutes`);
    const user = await this.users.findByUsername(username);
    // Hash even for an unknown user so that timing does not tell which names exist.
    const ok = user ? await this.hasher.verify(password, user.passwordHash) : (await this.hasher.hash(password), false);
    if (!user || !ok) {
      this.limiter.recordFailure(username, ip);
      await this.audit.append({ actor: `ip:${ip}`, action: 'auth.login_failed', target: username.slice(0, 128) });
      throw new AuthError('unauthenticated', 'wrong username or password');
    }
    this.limiter.reset(username, ip);
    if (user.disabledAt !== null) {
      await this.audit.append({
        actor: `ip:${ip}`,
        action: 'auth.login_refused',
        target: user.username,
        details: { why: 'disabled' },
      });
      throw new AuthError('forbidden', 'this account is disabled; ask an administrator');
    }
    const { token, expiresAt } = await this.sessions.start(user.id);
    await this.audit.append({
      actor: user.username,
      action: 'auth.login',
      target: user.username,
      details: { ip, oneTimePassword: user.mustChangePassword },
    });
    return { token, expiresAt, user: currentUser(user) };
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
    const wait = this.limiter.retryAfterMs(username, ip);
    if (wait > 0)
      throw new AuthError('rate_limited', `too many wrong passwords; try again in ${Math.ceil(wait / 60_000)} minutes`);
    const user = await this.users.findByUsername(username);
    if (!user || user.disabledAt !== null) throw new AuthError('unauthenticated', 'sign in first');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      this.limiter.recordFailure(username, ip);
      await this.audit.append({
        actor: username,
        action: 'auth.password_change_failed',
        target: username,
        details: { ip },
      });
      throw new AuthError('forbidden', 'the current password is wrong');
    }
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
    return currentUser({ ...user, mustChangePassword: false });
  }
}
