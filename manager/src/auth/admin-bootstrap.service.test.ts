import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { ManagerConfig } from '../config/config.schema';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryUserRepository } from '../testing/fakes/account.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { FakePasswordHasher } from '../testing/fakes/services.fake';
import { AdminBootstrapService } from './admin-bootstrap.service';

function sut(adminPassword?: string) {
  const users = new InMemoryUserRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([users, auditRows]));
  const clock = new FakeClock();
  const banner: string[] = [];
  const service = new AdminBootstrapService(
    { adminPassword } as ManagerConfig,
    fake(users),
    transactions,
    new FakePasswordHasher(),
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
    clock,
    new FakeRandom(),
    { write: (text) => banner.push(text) },
  );
  return { service, users, auditRows, banner };
}

describe('AdminBootstrapService', () => {
  it('creates admin once with a generated one-time password shown in the banner only, once, audited', async () => {
    const { service, users, auditRows, banner } = sut();
    expect(await service.ensureAdmin()).toBe(true);
    expect(await service.ensureAdmin()).toBe(false);
    const password = Buffer.alloc(18, 0xab).toString('base64url');
    expect(users.rows).toEqual([
      expect.objectContaining({ username: 'admin', passwordHash: `hashed:${password}`, mustChangePassword: true }),
    ]);
    expect(banner).toHaveLength(1);
    expect(banner[0].split(password)).toHaveLength(2); // the password appears exactly once
    expect(banner[0]).toContain(`Admin password (shown once): ${password}`);
    expect(banner[0]).toContain('you must choose your own at the first sign-in');
    expect(auditRows.rows.map((r) => [r.action, r.details])).toEqual([
      ['user.create', { role: 'admin', passwordFrom: 'generated' }],
    ]);
  });

  it('uses the configured password, which need not be changed, and prints nothing', async () => {
    const { service, users, banner } = sut('from-the-environment');
    await service.ensureAdmin();
    expect(users.rows[0]).toMatchObject({ passwordHash: 'hashed:from-the-environment', mustChangePassword: false });
    expect(banner).toEqual([]);
  });
});
