import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../common/hash';
import type { ManagerConfig } from '../config/config.schema';
import { InMemorySessionRepository, InMemoryUserRepository } from '../testing/fakes/account.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import type { TransactionRunner } from '../database/transaction.runner';
import { SessionRevocations, type SessionsEndedNotice } from './session-revocations';
import { SessionService, TOUCH_EVERY_MS } from './session.service';

const IDLE = 30 * 60_000;
const LIFETIME = 12 * 3_600_000;

function sut() {
  const users = new InMemoryUserRepository();
  users.rows = [
    {
      id: 'u1',
      username: 'nurse',
      passwordHash: 'x',
      role: 'analyst',
      createdAt: 1,
      disabledAt: null,
      mustChangePassword: false,
    },
  ];
  const sessions = new InMemorySessionRepository();
  const clock = new FakeClock(1_000_000);
  const revocations = new SessionRevocations();
  const notices: SessionsEndedNotice[] = [];
  const announce = revocations.announce.bind(revocations);
  revocations.announce = (notice) => {
    notices.push(notice);
    announce(notice);
  };
  const config = { sessions: { idleTimeoutMs: IDLE, maxLifetimeMs: LIFETIME } } as ManagerConfig;
  const service = new SessionService(config, fake(sessions), fake(users), revocations, clock, new FakeRandom());
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([users, sessions]));
  return { service, sessions, users, clock, notices, transactions };
}

describe('SessionService', () => {
  it('starts a session stored as a hash, ending at the configured lifetime', async () => {
    const { service, sessions } = sut();
    const { token, expiresAt } = await service.start('u1');
    expect(expiresAt).toBe(1_000_000 + LIFETIME);
    expect(sessions.rows).toEqual([
      { tokenHash: sha256Hex(token), userId: 'u1', createdAt: 1_000_000, expiresAt, lastSeenAt: 1_000_000 },
    ]);
    expect(await service.resolve(token)).toEqual({
      tokenHash: sha256Hex(token),
      userId: 'u1',
      user: { username: 'nurse', role: 'analyst' },
    });
  });

  it('ends a session idle for the timeout, deletes it and says why', async () => {
    const { service, sessions, clock, notices } = sut();
    const { token } = await service.start('u1');
    clock.advance(IDLE - 1);
    expect(await service.resolve(token)).toBeDefined(); // used just in time: counts as activity
    clock.advance(IDLE - 1);
    expect(await service.resolve(token)).toBeDefined();
    clock.advance(IDLE);
    expect(await service.resolve(token)).toBeUndefined();
    expect(sessions.rows).toEqual([]);
    expect(notices).toEqual([{ tokenHash: sha256Hex(token), reason: 'idle' }]);
  });

  it('writes last use at most once a minute, and never for background refreshes', async () => {
    const { service, sessions, clock } = sut();
    const { token } = await service.start('u1');
    let writes = 0;
    const touch = sessions.touch.bind(sessions);
    sessions.touch = (hash, at) => ((writes += 1), touch(hash, at));
    for (let i = 0; i < 120; i++) {
      clock.advance(1_000); // a request a second for two minutes
      await service.resolve(token);
    }
    expect(writes).toBe(2);
    expect(sessions.rows[0].lastSeenAt).toBe(1_000_000 + 2 * TOUCH_EVERY_MS);
    clock.advance(IDLE - 1_000);
    expect(await service.resolve(token, false)).toBeDefined();
    clock.advance(1_000);
    expect(await service.resolve(token, false)).toBeUndefined(); // automatic refreshes alone went idle
    expect(writes).toBe(2);
  });

  it('ends a busy session at its absolute lifetime', async () => {
    const { service, clock, notices } = sut();
    const { token } = await service.start('u1');
    for (let used = 0; used < LIFETIME - 10 * 60_000; used += 10 * 60_000) {
      clock.advance(10 * 60_000);
      expect(await service.resolve(token)).toBeDefined();
    }
    clock.advance(10 * 60_000);
    expect(await service.resolve(token)).toBeUndefined();
    expect(notices.map((n) => n.reason)).toEqual(['expired']);
  });

  it("refuses a disabled user's session", async () => {
    const { service, users } = sut();
    const { token } = await service.start('u1');
    users.rows[0].disabledAt = 5;
    expect(await service.resolve(token)).toBeUndefined();
  });

  it('signs one session out, announcing it; an unknown token announces nothing', async () => {
    const { service, notices } = sut();
    const one = await service.start('u1');
    const two = await service.start('u1');
    await service.end(one.token);
    await service.end('wws_never-issued');
    expect(await service.resolve(one.token)).toBeUndefined();
    expect(await service.resolve(two.token)).toBeDefined();
    expect(notices).toEqual([{ tokenHash: sha256Hex(one.token), reason: 'sign_out' }]);
  });

  it('tells a stream when its session ends: by a notice for the user, not for the session kept', async () => {
    const { service, transactions } = sut();
    const kept = await service.start('u1');
    const other = await service.start('u1');
    const keptRef = { tokenHash: sha256Hex(kept.token), userId: 'u1' };
    const otherRef = { tokenHash: sha256Hex(other.token), userId: 'u1' };
    let keptEnded = false;
    const watch = service.endOf(keptRef).subscribe(() => (keptEnded = true));
    const otherEnded = firstValueFrom(service.endOf(otherRef));
    await transactions.run((tx) => service.endAllOf('u1', tx, keptRef.tokenHash));
    service.announceEnded('u1', 'password_change', keptRef.tokenHash);
    expect(await otherEnded).toBe('password_change');
    expect(keptEnded).toBe(false);
    watch.unsubscribe();
  });

  it('tells a stream its session went idle without any notice, by looking again', async () => {
    const { service, clock, sessions } = sut();
    const { token } = await service.start('u1');
    const ended = firstValueFrom(service.endOf({ tokenHash: sha256Hex(token), userId: 'u1' }));
    clock.advance(IDLE);
    expect(await ended).toBe('idle');
    expect(sessions.rows).toHaveLength(1); // looking does not delete; the next request does
  });
});
