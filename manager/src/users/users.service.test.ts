import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { AccountService } from '../auth/account.service';
import { SessionRevocations, type SessionsEndedNotice } from '../auth/session-revocations';
import { SessionService } from '../auth/session.service';
import type { ManagerConfig } from '../config/config.schema';
import type { UserEntity } from '../auth/user.entity';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemorySessionRepository, InMemoryUserRepository } from '../testing/fakes/account.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { FakePasswordHasher } from '../testing/fakes/services.fake';
import type { DutyRequestRepository } from '../duty-requests/duty-request.repository';
import { DutyRequestService } from '../duty-requests/duty-request.service';
import { UsersService } from './users.service';

const admin: UserEntity = {
  id: 'admin-id',
  username: 'admin',
  passwordHash: 'hashed:x',
  role: 'admin',
  createdAt: 1,
  disabledAt: null,
  mustChangePassword: false,
};

function sut() {
  const users = new InMemoryUserRepository();
  users.rows = [{ ...admin }];
  const sessions = new InMemorySessionRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([users, sessions, auditRows]));
  const clock = new FakeClock(2_000);
  const revocations = new SessionRevocations();
  const notices: SessionsEndedNotice[] = [];
  revocations.announce = (notice) => notices.push(notice);
  const config = { sessions: { idleTimeoutMs: 60_000, maxLifetimeMs: 3_600_000 } } as ManagerConfig;
  const sessionService = new SessionService(config, fake(sessions), fake(users), revocations, clock, new FakeRandom());
  const service = new UsersService(
    new AccountService(fake(users), sessionService),
    transactions,
    new FakePasswordHasher(),
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
    clock,
    new FakeRandom(),
    // A single-person site: grants take effect at once (the second-person rule: duty-requests.http.test.ts).
    new DutyRequestService(
      fake<DutyRequestRepository>({
        insert: unused,
        findById: unused,
        updateFrom: unused,
        list: unused,
        duePending: unused,
      }),
      transactions,
      new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
      clock,
      new FakeRandom(),
      { duties: { singlePersonReason: 'a single-person test site', requestTtlMs: 1, answerWindowMs: 1 } },
    ),
  );
  return { service, users, sessions, auditRows, notices };
}

describe('UsersService', () => {
  it('creates a user with a one-time password, audited', async () => {
    const { service, users, auditRows } = sut();
    const created = await service.create({ username: 'nurse', role: 'analyst' }, 'admin');
    expect(created.user).toMatchObject({
      username: 'nurse',
      role: 'analyst',
      status: 'active',
      mustChangePassword: true,
    });
    expect(users.rows[1].passwordHash).toBe(`hashed:${created.oneTimePassword}`);
    expect(auditRows.rows.map((r) => [r.actor, r.action, r.target])).toEqual([['admin', 'user.create', 'nurse']]);
    expect((await service.list()).map((u) => u.username)).toEqual(['admin', 'nurse']);
  });

  it('refuses a taken username and writes nothing', async () => {
    const { service, users, auditRows } = sut();
    await expect(service.create({ username: 'admin', role: 'analyst' }, 'admin')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(users.rows).toHaveLength(1);
    expect(auditRows.rows).toEqual([]);
  });

  it('disables a user and ends their sessions in one audited change, then closes their streams', async () => {
    const { service, sessions, auditRows, notices } = sut();
    const { user } = await service.create({ username: 'nurse', role: 'analyst' }, 'admin');
    sessions.rows = [{ tokenHash: 'h', userId: user.id, createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 }];
    expect(await service.disable(user.id, 'admin')).toMatchObject({ status: 'disabled', disabledAt: 2_000 });
    expect(sessions.rows).toEqual([]);
    expect(auditRows.rows.at(-1)).toMatchObject({ action: 'user.disable', details: { sessionsEnded: 1 } });
    expect(notices).toEqual([{ userId: user.id, reason: 'disabled', keepTokenHash: undefined }]);
  });

  it('rolls the disabling back when its audit row cannot be written, and closes no stream', async () => {
    const { service, users, sessions, auditRows, notices } = sut();
    const { user } = await service.create({ username: 'nurse', role: 'analyst' }, 'admin');
    sessions.rows = [{ tokenHash: 'h', userId: user.id, createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 }];
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.disable(user.id, 'admin')).rejects.toThrow('disk full');
    expect(users.rows[1].disabledAt).toBeNull();
    expect(sessions.rows).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it('refuses to disable oneself, the last admin, or nobody', async () => {
    const { service } = sut();
    await expect(service.disable('admin-id', 'admin')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(service.disable('admin-id', 'other-admin')).rejects.toMatchObject({
      message: expect.stringContaining('last active admin') as unknown,
    });
    await expect(service.disable('nope', 'admin')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('changes a role, ending every session of the account in one audited change, then closes its streams', async () => {
    const { service, users, sessions, auditRows, notices } = sut();
    const { user } = await service.create({ username: 'nurse', role: 'analyst' }, 'admin');
    sessions.rows = [
      { tokenHash: 'a', userId: user.id, createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 },
      { tokenHash: 'b', userId: user.id, createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 },
      { tokenHash: 'c', userId: 'admin-id', createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 },
    ];
    expect(await service.changeRole(user.id, 'privacy_officer', 'admin')).toMatchObject({
      user: { role: 'privacy_officer' },
    });
    expect(users.rows[1].role).toBe('privacy_officer');
    expect(sessions.rows.map((s) => s.tokenHash)).toEqual(['c']);
    expect(auditRows.rows.at(-1)).toMatchObject({
      action: 'user.role_change',
      target: 'nurse',
      details: { from: 'analyst', to: 'privacy_officer', sessionsEnded: 2, singlePersonSite: true },
    });
    expect(notices).toEqual([{ userId: user.id, reason: 'role_change', keepTokenHash: undefined }]);
  });

  it('refuses to change its own role, demote the last admin, or a role nobody has; no notice', async () => {
    const { service, notices } = sut();
    await expect(service.changeRole('admin-id', 'analyst', 'admin')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(service.changeRole('admin-id', 'analyst', 'other-admin')).rejects.toMatchObject({
      message: expect.stringContaining('last active admin') as unknown,
    });
    await expect(service.changeRole('nope', 'analyst', 'admin')).rejects.toMatchObject({ code: 'not_found' });
    expect(notices).toEqual([]);
  });

  it('signs a user out everywhere, audited, and closes their streams', async () => {
    const { service, sessions, auditRows, notices } = sut();
    const { user } = await service.create({ username: 'nurse', role: 'analyst' }, 'admin');
    sessions.rows = [{ tokenHash: 'a', userId: user.id, createdAt: 1, expiresAt: 9e12, lastSeenAt: 1 }];
    expect(await service.signOutEverywhere(user.id, 'admin')).toEqual({ sessionsEnded: 1 });
    expect(sessions.rows).toEqual([]);
    expect(auditRows.rows.at(-1)).toMatchObject({ action: 'user.sign_out_everywhere', details: { sessionsEnded: 1 } });
    expect(notices).toEqual([{ userId: user.id, reason: 'signed_out_everywhere', keepTokenHash: undefined }]);
  });
});

function unused(): never {
  throw new Error('a single-person site stores no duty request');
}
