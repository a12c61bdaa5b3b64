// Dashboard sign-in: password check, sessions as random tokens stored hashed,
// failures rate-limited per username and address, sign-ins audited.
import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { sha256Hex } from '../common/hash';
import { TransactionRunner } from '../database/transaction.runner';
import { AuthError } from './auth.errors';
import { LoginRateLimiter } from './login-rate.limiter';
import { PasswordHasher } from './password.hasher';
import { SessionRepository } from './session.repository';
import type { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

export const SESSION_TTL_MS = 12 * 3_600_000;

export interface SignedIn {
  token: string;
  expiresAt: number;
  user: CurrentUser;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
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
    const token = this.random.token('wws_');
    const now = this.clock.now();
    const expiresAt = now + SESSION_TTL_MS;
    await this.sessions.insert({ tokenHash: sha256Hex(token), userId: user.id, createdAt: now, expiresAt });
    await this.sessions.deleteExpired(now);
    await this.audit.append({
      actor: user.username,
      action: 'auth.login',
      target: user.username,
      details: { ip, oneTimePassword: user.mustChangePassword },
    });
    return { token, expiresAt, user: currentUser(user) };
  }

  /** The signed-in user, or undefined when the session expired or the account was disabled since. */
  async userForToken(token: string): Promise<CurrentUser | undefined> {
    const session = await this.sessions.findByTokenHash(sha256Hex(token));
    if (!session || session.expiresAt <= this.clock.now()) return undefined;
    const user = await this.users.findById(session.userId);
    return user && user.disabledAt === null ? currentUser(user) : undefined;
  }

  /** Replaces the caller's password (a one-time one included) after checking the current one. */
  async changePassword(
    username: string,
    currentPassword: string,
    newPassword: string,
    ip: string,
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
      await this.audit.append(
        {
          actor: username,
          action: 'auth.password_change',
          target: username,
          details: { ip, wasOneTimePassword: user.mustChangePassword },
        },
        tx,
      );
    });
    return currentUser({ ...user, mustChangePassword: false });
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(sha256Hex(token));
  }
}

function currentUser(user: Pick<UserEntity, 'username' | 'role' | 'mustChangePassword'>): CurrentUser {
  return user.mustChangePassword
    ? { username: user.username, role: user.role, mustChangePassword: true }
    : { username: user.username, role: user.role };
}
