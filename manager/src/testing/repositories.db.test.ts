// The repositories' own SQL on SQLite and PostgreSQL: the conditional updates and
// lookups that the in-memory fakes imitate (events, scores and audit rows are
// covered by their own *.db.test.ts files).
import { describe, expect, it } from 'vitest';
import type { AgentEntity } from '../agents/agent.entity';
import { HealthRepository } from '../health/health.repository';
import { databaseForTests } from './engine-database.fixture';
import { testEngines } from './test-engines.fixture';

const agent = (id: string, status: AgentEntity['status']): AgentEntity => ({
  id,
  hostname: `host-${id}`,
  os: 'linux',
  osVersion: '6',
  version: '0.1.0',
  status,
  enrolledAt: 1,
  lastSeenAt: null,
  certFingerprint: 'sha256:x',
  stats: null,
});

describe.each(testEngines)('repositories on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('updates agents only in the statuses asked for, and keeps stats as JSON', async () => {
    const { agents } = open.services.repos;
    await agents.insert(agent('on', 'online'));
    await agents.insert(agent('off', 'offline'));
    await agents.insert(agent('gone', 'revoked'));
    await agents.insert(agent('held', 'online'));
    await agents.updateAllWithStatus(['online'], { status: 'offline' }, ['held']);
    await agents.updateIfStatus('gone', ['online', 'offline'], { status: 'online' });
    await agents.update('off', { stats: { queueLength: 3 }, lastSeenAt: 1_700_000_000_000 });
    const all = await agents.list(10);
    expect(all.map((a) => [a.id, a.status])).toEqual([
      ['gone', 'revoked'],
      ['held', 'online'],
      ['off', 'offline'],
      ['on', 'offline'],
    ]);
    expect(await agents.findById('off')).toMatchObject({ stats: { queueLength: 3 }, lastSeenAt: 1_700_000_000_000 });
  });

  it.skipIf(skip)('spends an enrollment token once, and not after it expired', async () => {
    const { enrollmentTokens: tokens } = open.services.repos;
    const row = { createdAt: 1, createdBy: 'admin', usedAt: null, usedByAgent: null };
    await tokens.insert({ ...row, tokenHash: 'h1', expiresAt: 5_000 });
    await tokens.insert({ ...row, tokenHash: 'h2', expiresAt: 5_000 });
    const spend = (hash: string, now: number, agentId: string) =>
      open.services.transactions.run((tx) => tokens.markUsed(hash, now, agentId, tx));
    expect(await spend('h1', 1_000, 'a1')).toBe(true);
    expect(await spend('h1', 1_000, 'a2')).toBe(false);
    expect(await spend('h2', 5_000, 'a3')).toBe(false);
    expect(await tokens.findByHash('h1')).toMatchObject({ usedAt: 1_000, usedByAgent: 'a1' });
  });

  it.skipIf(skip)('finds users and counts active admins; ends sessions by user and by expiry', async () => {
    const { users, sessions } = open.services.repos;
    const base = { passwordHash: 'x', createdAt: 1, mustChangePassword: false };
    await users.insert({ ...base, id: 'u1', username: 'root-admin', role: 'admin', disabledAt: null });
    await users.insert({ ...base, id: 'u2', username: 'old-admin', role: 'admin', disabledAt: 2 });
    expect(await users.countActiveAdmins()).toBe(1);
    await users.update('u2', { disabledAt: null, mustChangePassword: true });
    expect(await users.findByUsername('old-admin')).toMatchObject({ disabledAt: null, mustChangePassword: true });
    await sessions.insert({ tokenHash: 's1', userId: 'u1', createdAt: 1, expiresAt: 10, lastSeenAt: 1 });
    await sessions.insert({ tokenHash: 's2', userId: 'u1', createdAt: 1, expiresAt: 1_000, lastSeenAt: 1 });
    await sessions.insert({ tokenHash: 's3', userId: 'u2', createdAt: 1, expiresAt: 1_000, lastSeenAt: 1 });
    await sessions.insert({ tokenHash: 's4', userId: 'u1', createdAt: 1, expiresAt: 1_000, lastSeenAt: 1 });
    await sessions.insert({ tokenHash: 's5', userId: 'u2', createdAt: 1, expiresAt: 1_000, lastSeenAt: 1 });
    await sessions.touch('s2', 90);
    await sessions.touch('s3', 90);
    await sessions.touch('s4', 90);
    expect(await sessions.findByTokenHash('s3')).toMatchObject({ lastSeenAt: 90 });
    // s1 is past its end, s5 idle since 1; s2, s3 and s4 were used at 90
    await sessions.deleteExpired(100, 50);
    expect(await sessions.findByTokenHash('s1')).toBeNull();
    expect(await sessions.findByTokenHash('s5')).toBeNull();
    expect(await sessions.deleteForUser('u1', undefined, 's4')).toBe(1);
    expect(await sessions.findByTokenHash('s4')).not.toBeNull();
    expect(await sessions.deleteByTokenHash('s4')).toBe(true);
    expect(await sessions.deleteByTokenHash('s4')).toBe(false);
    expect(await sessions.findByTokenHash('s3')).not.toBeNull();
  });

  it.skipIf(skip)("finds a window's open alert and pages alerts newest first", async () => {
    const { alerts } = open.services.repos;
    const base = { agentId: 'a', severity: 4, score: 70, title: 't', reasons: ['r'], eventIds: [], updatedAt: null };
    await open.services.transactions.run(async (tx) => {
      await alerts.insert(
        { ...base, id: 'x1', createdAt: 10, status: 'open', user: 'u', windowStart: 5, windowEnd: 6 },
        tx,
      );
      await alerts.insert(
        { ...base, id: 'x2', createdAt: 20, status: 'closed', user: 'u', windowStart: 7, windowEnd: 8 },
        tx,
      );
      await alerts.insert(
        { ...base, id: 'x3', createdAt: 20, status: 'open', user: null, windowStart: null, windowEnd: null },
        tx,
      );
      expect((await alerts.findOpen('a', 'u', 5, tx))?.id).toBe('x1');
      expect(await alerts.findOpen('a', 'u', 7, tx)).toBeNull();
    });
    expect((await alerts.page(2)).map((a) => a.id)).toEqual(['x3', 'x2', 'x1']);
    expect((await alerts.page(5, [20, 'x2'])).map((a) => a.id)).toEqual(['x1']);
  });

  it.skipIf(skip)('answers the health ping', async () => {
    expect(await new HealthRepository(open.db).ping()).toBe(true);
  });
});
