import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/hash';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemorySessionRepository, InMemoryUserRepository } from '../testing/fakes/account.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { FakePasswordHasher } from '../testing/fakes/services.fake';
import { InMemoryAccountBackoffRepository } from '../testing/fakes/account-backoff.repository.fake';
import type { ManagerConfig } from '../config/config.schema';
import { AuthService } from './auth.service';
import type { MfaSignInService } from './mfa/mfa-sign-in.service';
import { noSecondFactor, sessionOf } from './mfa/second-factor.fixture';
import { SessionRevocations, type SessionsEndedNotice } from './session-revocations';
import { SessionService } from './session.service';
import { SignInThrottle, type ThrottleSettings } from './throttle/sign-in-throttle';
import type { UserEntity } from './user.entity';

const SESSION_TTL_MS = 12 * 3_600_000;

const TEST_THROTTLE: ThrottleSettings = {
  trustedProxies: [],
  freeFailures: 3,
  maxBackoffMs: 15 * 60_000,
  sourcePerMinute: 30,
  sourceBurst: 20,
  sprayAccounts: 10,
  sprayWindowMs: 10 * 60_000,
  maxSources: 10_000,
};

function sut(users: Partial<UserEntity>[] = [{}], throttleSettings: Partial<ThrottleSettings> = {}) {
  const userRows = new InMemoryUserRepository();
  userRows.rows = users.map((u, i) => ({
    id: `user-${i + 1}`,
    username: 'nurse',
    passwordHash: 'hashed:correct horse',
    role: 'analyst',
    createdAt: 1,
    disabledAt: null,
    mustChangePassword: false,
    ...u,
  }));
  const sessions = new InMemorySessionRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([userRows, sessions, auditRows]));
  const clock = new FakeClock(1_000_000);
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const revocations = new SessionRevocations();
  const notices: SessionsEndedNotice[] = [];
  revocations.announce = (notice) => notices.push(notice);
  const config = { sessions: { idleTimeoutMs: 30 * 60_000, maxLifetimeMs: SESSION_TTL_MS } } as ManagerConfig;
  const sessionService = new SessionService(
    config,
    fake(sessions),
    fake(userRows),
    revocations,
    clock,
    new FakeRandom(),
  );
  const backoff = new InMemoryAccountBackoffRepository();
  const throttle = new SignInThrottle(fake(backoff), audit, clock, { ...TEST_THROTTLE, ...throttleSettings });
  const hasher = new FakePasswordHasher();
  const service = new AuthService(
    fake(userRows),
    sessionService,
    transactions,
    fake(hasher),
    throttle,
    audit,
    fake<MfaSignInService>(noSecondFactor),
  );
  return { service, sessionService, userRows, sessions, auditRows, clock, notices, hasher, backoff, throttle };
}

describe('AuthService', () => {
  it('signs in with a session stored only as a hash, audited', async () => {
    const { service, sessionService, sessions, auditRows } = sut();
    const signedIn = sessionOf(await service.login('nurse', 'correct horse', '10.0.0.1'));
    expect(signedIn).toMatchObject({ expiresAt: 1_000_000 + SESSION_TTL_MS, user: { username: 'nurse' } });
    expect(sessions.rows).toEqual([expect.objectContaining({ tokenHash: sha256Hex(signedIn.token) })]);
    expect((await sessionService.resolve(signedIn.token))?.user).toEqual({ username: 'nurse', role: 'analyst' });
    expect(auditRows.actions()).toEqual(['auth.login']);
  });

  it('refuses a wrong password or unknown user alike, one hash each, audited', async () => {
    const { service, auditRows, hasher } = sut();
    await expect(service.login('nurse', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(hasher.calls).toBe(1);
    await expect(service.login('nobody', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(hasher.calls).toBe(2);
    expect(auditRows.actions()).toEqual(['auth.login_failed', 'auth.login_failed']);
  });

  it('refuses a disabled account and forgets sessions once it expired', async () => {
    const { service, sessionService, clock } = sut([{}, { id: 'user-off', username: 'gone', disabledAt: 5 }]);
    await expect(service.login('gone', 'correct horse', '::1')).rejects.toMatchObject({ code: 'forbidden' });
    const { token } = sessionOf(await service.login('nurse', 'correct horse', '::1'));
    clock.advance(SESSION_TTL_MS);
    expect(await sessionService.resolve(token)).toBeUndefined();
  });

  it('changes a one-time password with its audit row in one transaction', async () => {
    const { service, userRows, auditRows } = sut([{ mustChangePassword: true }]);
    expect(await service.changePassword('nurse', 'correct horse', 'a new long password', '::1')).toEqual({
      username: 'nurse',
      role: 'analyst',
    });
    expect(userRows.rows[0]).toMatchObject({ passwordHash: 'hashed:a new long password', mustChangePassword: false });
    expect(auditRows.actions()).toEqual(['auth.password_change']);
  });

  it('keeps the old password when the audit row cannot be written', async () => {
    const { service, userRows, auditRows } = sut();
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.changePassword('nurse', 'correct horse', 'a new long password', '::1')).rejects.toThrow(
      'disk full',
    );
    expect(userRows.rows[0].passwordHash).toBe('hashed:correct horse');
  });

  it("ends the user's other sessions at a password change, keeps the caller's, and closes the others' streams", async () => {
    const { service, sessionService, sessions, auditRows, notices } = sut([{}, { id: 'user-2', username: 'other' }]);
    const kept = sessionOf(await service.login('nurse', 'correct horse', '::1'));
    const other = sessionOf(await service.login('nurse', 'correct horse', '::2'));
    const someoneElse = sessionOf(await service.login('other', 'correct horse', '::3'));
    const keptHash = sha256Hex(kept.token);
    await service.changePassword('nurse', 'correct horse', 'a new long password', '::1', keptHash);
    expect(sessions.rows.map((s) => s.tokenHash).sort()).toEqual([keptHash, sha256Hex(someoneElse.token)].sort());
    expect(await sessionService.resolve(other.token)).toBeUndefined();
    expect(await sessionService.resolve(kept.token)).toBeDefined();
    expect(auditRows.rows.at(-1)).toMatchObject({ action: 'auth.password_change', details: { sessionsEnded: 1 } });
    expect(notices).toEqual([{ userId: 'user-1', reason: 'password_change', keepTokenHash: keptHash }]);
  });

  it('announces nothing when the password change rolls back', async () => {
    const { service, sessions, auditRows, notices } = sut();
    await service.login('nurse', 'correct horse', '::1');
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.changePassword('nurse', 'correct horse', 'a new long password', '::1')).rejects.toThrow();
    expect(sessions.rows).toHaveLength(1);
    expect(notices).toEqual([]);
  });
});
