// Sign-in throttling on SQLite and PostgreSQL: the backoff upsert counts concurrent
// failures, never shortens a block and survives closing and reopening the database
// (a restart: every in-memory structure is rebuilt); an N=2^14 hash is replaced by an
// N=2^17 one at sign-in with the real hasher; refused sign-ins hash nothing.
import { describe, expect, it } from 'vitest';
import { AuditService } from '../../audit/audit.service';
import { AuditRepository } from '../../audit/audit.repository';
import { RandomSource } from '../../common/clock';
import { fake, FakeClock } from '../../testing/fakes/fakes';
import { TransactionRunner } from '../../database/transaction.runner';
import { testEngines } from '../../testing/test-engines.fixture';
import type { DataSource } from 'typeorm';
import { testAuditKeyring } from '../../testing/fakes/audit.repository.fake';
import { AuthService } from '../auth.service';
import type { MfaSignInService } from '../mfa/mfa-sign-in.service';
import { noSecondFactor, sessionOf } from '../mfa/second-factor.fixture';
import { SessionRevocations } from '../session-revocations';
import { SessionService } from '../session.service';
import { PasswordHasher } from '../password.hasher';
import { SessionRepository } from '../session.repository';
import { UserRepository } from '../user.repository';
import { AccountBackoffRepository } from './account-backoff.repository';
import { SignInThrottle } from './sign-in-throttle';

const SETTINGS = {
  trustedProxies: [],
  freeFailures: 3,
  maxBackoffMs: 15 * 60_000,
  sourcePerMinute: 30,
  sourceBurst: 20,
  sprayAccounts: 10,
  sprayWindowMs: 10 * 60_000,
  maxSources: 1_000,
};

/** The real hasher, counting what it computes. */
class CountingHasher extends PasswordHasher {
  calls = 0;
  override hash(password: string): Promise<string> {
    this.calls += 1;
    return super.hash(password);
  }
  override verify(password: string, stored: string): Promise<boolean> {
    this.calls += 1;
    return super.verify(password, stored);
  }
}

/** What a manager builds at start, on an open database. */
function managerOn(db: DataSource, hasher: PasswordHasher, clock: FakeClock) {
  const transactions = new TransactionRunner(db);
  const audit = new AuditService(new AuditRepository(db), transactions, clock, testAuditKeyring());
  const throttle = new SignInThrottle(new AccountBackoffRepository(db), audit, clock, SETTINGS);
  const users = new UserRepository(db);
  const sessions = new SessionService(
    { sessions: { idleTimeoutMs: 30 * 60_000, maxLifetimeMs: 12 * 3_600_000 } },
    new SessionRepository(db),
    users,
    new SessionRevocations(),
    clock,
    new RandomSource(),
  );
  const auth = new AuthService(
    users,
    sessions,
    transactions,
    hasher,
    throttle,
    audit,
    fake<MfaSignInService>(noSecondFactor),
  );
  return { auth, users, throttle, backoff: new AccountBackoffRepository(db) };
}

describe.each(testEngines)('sign-in throttling on $name', (engine) => {
  it.skipIf(engine.skip)(
    'keeps backoff across a restart and 10,000 other names, counts concurrent failures, upgrades an old hash',
    async () => {
      const database = engine.make();
      let db = await database.open();
      try {
        const old = new PasswordHasher({ N: 2 ** 14, r: 8, p: 1 });
        const hasher = new CountingHasher();
        // A clock that moves only when told: slow hashing on a busy machine must not end the backoff early.
        const clock = new FakeClock(Date.now());
        let manager = managerOn(db, hasher, clock);
        for (const [id, username] of [
          ['u1', 'nurse'],
          ['u2', 'doctor'],
        ])
          await manager.users.insert({
            id,
            username,
            passwordHash: await old.hash(`${username} password`),
            role: 'analyst',
            createdAt: Date.now(),
            disabledAt: null,
            mustChangePassword: false,
          });

        // Concurrent failures all count (the upsert, not a read-then-write).
        const now = clock.now();
        const counts = await Promise.all(
          Array.from({ length: 20 }, () => manager.backoff.addFailure('sprayed', now, now - 1)),
        );
        expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await manager.backoff.blockUntil('sprayed', now + 5_000);
        await manager.backoff.blockUntil('sprayed', now + 1_000);
        expect(await manager.backoff.find('sprayed')).toMatchObject({ failures: 20, blockedUntil: now + 5_000 });
        await manager.backoff.addFailure('sprayed', now + 10, now + 5);
        expect(await manager.backoff.find('sprayed')).toMatchObject({ failures: 1 });
        expect(await manager.backoff.deleteIdle(now + 11)).toBe(1);

        // Four wrong passwords: the fourth starts a backoff.
        const attempt = (m: typeof manager, password: string) =>
          m.auth.login('nurse', password, '192.0.2.7').then(
            () => 'ok',
            (error: { code: string }) => error.code,
          );
        for (let i = 0; i < 4; i++) expect(await attempt(manager, `guess ${i}`)).toBe('unauthenticated');
        expect(hasher.calls).toBe(4);

        // Restart: a new database connection and new services, nothing kept in memory.
        await db.destroy();
        db = await database.open();
        manager = managerOn(db, hasher, clock);
        const refused = manager.auth.login('nurse', 'nurse password', '203.0.113.1');
        await expect(refused).rejects.toMatchObject({ code: 'rate_limited' });
        expect(hasher.calls).toBe(4);

        // 200 bogus sign-ins against the blocked account cost no hashing.
        const started = performance.now();
        for (let i = 0; i < 200; i++) expect(await attempt(manager, 'bogus')).toBe('rate_limited');
        const perAttemptMs = (performance.now() - started) / 200;
        expect(hasher.calls).toBe(4);
        console.info(`${engine.name}: 200 refused sign-ins, ${perAttemptMs.toFixed(2)} ms each, 0 hashes`);

        // 10,000 failures on other names, from 10,000 addresses (the in-memory sources are evicted
        // many times over), leave the victim's stored backoff as it was.
        const victim = await manager.backoff.find('nurse');
        for (let i = 0; i < 10_000; i += 50)
          await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              manager.throttle.recordFailure(`other${i + j}`, `10.${(i + j) >> 8}.${(i + j) & 255}.1`),
            ),
          );
        expect(await manager.backoff.find('nurse')).toEqual(victim);
        expect(manager.throttle.sources.evicted).toBeGreaterThanOrEqual(9_000);
        expect(await manager.backoff.find('other9999')).toMatchObject({ failures: 1 });

        // Another account behind the same address is not held up; its N=2^14 hash is replaced.
        const signedIn = sessionOf(await manager.auth.login('doctor', 'doctor password', '192.0.2.7'));
        expect(signedIn.user.username).toBe('doctor');
        const upgraded = (await manager.users.findByUsername('doctor'))!.passwordHash;
        expect(upgraded.startsWith('scrypt$131072$8$1$')).toBe(true);
        expect(await hasher.verify('doctor password', upgraded)).toBe(true);
      } finally {
        await db.destroy();
        await database.dispose();
      }
    },
    240_000,
  );
});
