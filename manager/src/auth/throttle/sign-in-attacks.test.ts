// The attacks issue #11 tried against sign-in, replayed through AuthService with the
// real throttle on in-memory storage (the database version: sign-in-throttle.db.test.ts).
// The hasher counts every hash, so each test also says what the attempts cost.
import { describe, expect, it } from 'vitest';
import { AuditService } from '../../audit/audit.service';
import type { TransactionRunner } from '../../database/transaction.runner';
import { InMemoryAccountBackoffRepository } from '../../testing/fakes/account-backoff.repository.fake';
import { InMemorySessionRepository, InMemoryUserRepository } from '../../testing/fakes/account.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../../testing/fakes/fakes';
import { FakePasswordHasher } from '../../testing/fakes/services.fake';
import { AuthService } from '../auth.service';
import type { MfaSignInService } from '../mfa/mfa-sign-in.service';
import { noSecondFactor } from '../mfa/second-factor.fixture';
import { SessionRevocations } from '../session-revocations';
import { SessionService } from '../session.service';
import type { UserEntity } from '../user.entity';
import { SignInThrottle, type ThrottleSettings } from './sign-in-throttle';
import { SPRAY_INTERVAL_MS } from './source-limiter';

const SETTINGS: ThrottleSettings = {
  trustedProxies: [],
  freeFailures: 3,
  maxBackoffMs: 15 * 60_000,
  sourcePerMinute: 30,
  sourceBurst: 20,
  sprayAccounts: 10,
  sprayWindowMs: 10 * 60_000,
  maxSources: 10_000,
};

const user = (username: string, passwordHash = `hashed:${username} password`): UserEntity => ({
  id: `id-${username}`,
  username,
  passwordHash,
  role: 'analyst',
  createdAt: 1,
  disabledAt: null,
  mustChangePassword: false,
});

function sut(users: UserEntity[], settings: Partial<ThrottleSettings> = {}) {
  const userRows = new InMemoryUserRepository();
  userRows.rows = users;
  const sessions = new InMemorySessionRepository();
  const auditRows = new InMemoryAuditRepository();
  // The audit table is left out of the rollback snapshots: copying 10,000 rows per transaction is all the time.
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([userRows, sessions]));
  const clock = new FakeClock(1_000_000);
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const backoff = new InMemoryAccountBackoffRepository();
  const throttle = new SignInThrottle(fake(backoff), audit, clock, { ...SETTINGS, ...settings });
  const hasher = new FakePasswordHasher();
  const sessionService = new SessionService(
    { sessions: { idleTimeoutMs: 30 * 60_000, maxLifetimeMs: 12 * 3_600_000 } },
    fake(sessions),
    fake(userRows),
    new SessionRevocations(),
    clock,
    new FakeRandom(),
  );
  const service = new AuthService(
    fake(userRows),
    sessionService,
    transactions,
    fake(hasher),
    throttle,
    audit,
    fake<MfaSignInService>(noSecondFactor),
  );
  /** Resolves to the error code, or 'ok'. */
  const attempt = (username: string, password: string, ip: string) =>
    service.login(username, password, ip).then(
      () => 'ok',
      (error: { code: string }) => error.code,
    );
  return { service, attempt, userRows, auditRows, clock, hasher, backoff, throttle };
}

describe('sign-in throttling', () => {
  it('backs an account off exponentially after the free failures, refusing even the right password', async () => {
    const { service, attempt, clock, hasher, backoff } = sut([user('nurse')]);
    for (let i = 0; i < 3; i++) expect(await attempt('nurse', 'guess', '10.0.0.1')).toBe('unauthenticated');
    expect(backoff.rows[0]).toMatchObject({ failures: 3, blockedUntil: 0 });
    expect(await attempt('nurse', 'guess', '10.0.0.1')).toBe('unauthenticated');
    expect(backoff.rows[0].blockedUntil).toBe(clock.now() + 1_000);
    // In backoff: the right password from another address is refused, without hashing.
    const hashes = hasher.calls;
    const refused = service.login('Nurse', 'nurse password', '10.9.9.9');
    await expect(refused).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 1_000 });
    expect(hasher.calls).toBe(hashes);
    clock.advance(1_000);
    expect(await attempt('nurse', 'guess', '10.0.0.1')).toBe('unauthenticated');
    expect(backoff.rows[0].blockedUntil).toBe(clock.now() + 2_000);
    clock.advance(2_000);
    expect(await attempt('nurse', 'nurse password', '10.0.0.1')).toBe('ok');
    expect(backoff.rows).toEqual([]);
  });

  it('caps the wait at the maximum', async () => {
    const { attempt, clock, backoff } = sut([user('nurse')]);
    for (let i = 0; i < 20; i++) {
      await attempt('nurse', 'guess', '10.0.0.1');
      clock.advance(Math.max(0, (backoff.rows[0]?.blockedUntil ?? 0) - clock.now()));
      clock.advance(60_000); // a minute apart: the source's bucket refills
    }
    expect(backoff.rows[0].failures).toBe(20);
    expect(backoff.rows[0].blockedUntil - backoff.rows[0].lastFailureAt).toBe(15 * 60_000);
  });

  it('NAT: a colleague behind the same address signs in while another account is guessed from it', async () => {
    const { attempt, hasher } = sut([user('nurse'), user('doctor')]);
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) outcomes.push(await attempt('nurse', `guess ${i}`, '192.0.2.7'));
    // Four checked guesses, then the account's backoff refuses the rest before any hashing.
    expect(outcomes.filter((o) => o === 'unauthenticated')).toHaveLength(4);
    expect(hasher.calls).toBe(4);
    expect(await attempt('doctor', 'doctor password', '192.0.2.7')).toBe('ok');
  });

  it('slows a source that sprays 120 attempts over 30 accounts, and audits it once', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `staff${i}`);
    const { attempt, clock, auditRows, hasher } = sut(names.map((n) => user(n)));
    const outcomes: string[] = [];
    for (let i = 0; i < 120; i++) {
      outcomes.push(await attempt(names[i % 30], 'Winter2026!', '198.51.100.9'));
      clock.advance(2_000); // slow enough that the token bucket alone would never refuse
    }
    const checked = outcomes.filter((o) => o === 'unauthenticated').length;
    expect(outcomes.slice(0, 10).every((o) => o === 'unauthenticated')).toBe(true);
    expect(outcomes[10]).toBe('rate_limited');
    // After detection: one attempt per SPRAY_INTERVAL_MS over the remaining 110 × 2 s.
    expect(checked).toBeLessThanOrEqual(10 + Math.ceil((110 * 2_000) / SPRAY_INTERVAL_MS));
    expect(hasher.calls).toBe(checked);
    const sprays = auditRows.rows.filter((r) => r.action === 'auth.spray_suspected');
    expect(sprays).toHaveLength(1);
    expect(sprays[0]).toMatchObject({ actor: 'ip:198.51.100.9', details: { accounts: 10 } });
    // Another address is not slowed by it.
    expect(await attempt('staff3', 'staff3 password', '198.51.100.10')).toBe('ok');
  });

  it('10,000 failures on other names do not reset a victim account', async () => {
    const { attempt, backoff, throttle, clock } = sut([user('victim')], { maxSources: 1_000 });
    for (let i = 0; i < 4; i++) await attempt('victim', 'guess', '10.0.0.1');
    const before = backoff.rows.find((r) => r.account === 'victim');
    expect(before).toMatchObject({ failures: 4 });
    for (let i = 0; i < 10_000; i++)
      await attempt(`other${i}`, 'guess', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.sources.size).toBeLessThanOrEqual(1_000);
    expect(throttle.sources.evicted).toBeGreaterThanOrEqual(9_000);
    expect(backoff.rows.find((r) => r.account === 'victim')).toEqual(before);
    expect(clock.now()).toBeLessThan(before!.blockedUntil);
    expect(await attempt('victim', 'victim password', '10.0.0.1')).toBe('rate_limited');
  });

  it('refuses 200 bogus sign-ins from a throttled source without hashing', async () => {
    const { attempt, hasher } = sut([user('nurse')], { sourceBurst: 5, sourcePerMinute: 1 });
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) outcomes.push(await attempt(`nobody${i}`, 'x', '203.0.113.5'));
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(195);
    expect(hasher.calls).toBe(5);
  });

  it('re-hashes a password stored with weaker parameters at the next sign-in, audited', async () => {
    const { attempt, userRows, auditRows } = sut([user('nurse', 'weak:nurse password')]);
    expect(await attempt('nurse', 'nurse password', '::1')).toBe('ok');
    expect(userRows.rows[0].passwordHash).toBe('hashed:nurse password');
    expect(auditRows.actions()).toEqual(['auth.password_rehashed', 'auth.login']);
    expect(await attempt('nurse', 'nurse password', '::1')).toBe('ok');
    expect(auditRows.actions()).toEqual(['auth.password_rehashed', 'auth.login', 'auth.login']);
  });

  it('gives a successful sign-in its source token back', async () => {
    const { attempt } = sut([user('nurse')], { sourceBurst: 2, sourcePerMinute: 1 });
    for (let i = 0; i < 10; i++) expect(await attempt('nurse', 'nurse password', '10.0.0.1')).toBe('ok');
  });
});
