import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/hash';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemorySessionRepository, InMemoryUserRepository } from '../testing/fakes/account.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { FakePasswordHasher } from '../testing/fakes/services.fake';
import { AuthService, SESSION_TTL_MS } from './auth.service';
import { LoginRateLimiter, MAX_FAILURES } from './login-rate.limiter';
import type { UserEntity } from './user.entity';

function sut(users: Partial<UserEntity>[] = [{}]) {
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
  const service = new AuthService(
    fake(userRows),
    fake(sessions),
    transactions,
    new FakePasswordHasher(),
    new LoginRateLimiter(clock),
    audit,
    clock,
    new FakeRandom(),
  );
  return { service, userRows, sessions, auditRows, clock };
}

describe('AuthService', () => {
  it('signs in with a session stored only as a hash, audited', async () => {
    const { service, sessions, auditRows } = sut();
    const signedIn = await service.login('nurse', 'correct horse', '10.0.0.1');
    expect(signedIn).toMatchObject({ expiresAt: 1_000_000 + SESSION_TTL_MS, user: { username: 'nurse' } });
    expect(sessions.rows).toEqual([expect.objectContaining({ tokenHash: sha256Hex(signedIn.token) })]);
    expect(await service.userForToken(signedIn.token)).toEqual({ username: 'nurse', role: 'analyst' });
    expect(auditRows.actions()).toEqual(['auth.login']);
  });

  it('refuses a wrong password or unknown user alike, audited, then rate-limits', async () => {
    const { service, auditRows } = sut();
    await expect(service.login('nurse', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(service.login('nobody', 'wrong', '10.0.0.1')).rejects.toMatchObject({ code: 'unauthenticated' });
    for (let i = 1; i < MAX_FAILURES; i++) await service.login('nurse', 'wrong', '10.0.0.1').catch(() => undefined);
    await expect(service.login('nurse', 'correct horse', '10.0.0.1')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(auditRows.actions().every((a) => a === 'auth.login_failed')).toBe(true);
  });

  it('refuses a disabled account and forgets sessions once it expired', async () => {
    const { service, clock } = sut([{}, { id: 'user-off', username: 'gone', disabledAt: 5 }]);
    await expect(service.login('gone', 'correct horse', '::1')).rejects.toMatchObject({ code: 'forbidden' });
    const { token } = await service.login('nurse', 'correct horse', '::1');
    clock.advance(SESSION_TTL_MS);
    expect(await service.userForToken(token)).toBeUndefined();
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

  it('ends the session at logout', async () => {
    const { service, sessions } = sut();
    const { token } = await service.login('nurse', 'correct horse', '::1');
    await service.logout(token);
    expect(sessions.rows).toEqual([]);
  });
});
