import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { InMemoryStaffRoleRepository } from '../testing/fakes/staff-role.repository.fake';
import { StaffRoleService } from './staff-role.service';

function sut() {
  const roles = new InMemoryStaffRoleRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([roles, auditRows]));
  const clock = new FakeClock(5_000);
  const service = new StaffRoleService(
    fake(roles),
    transactions,
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
    clock,
  );
  return { service, roles, auditRows };
}

describe('StaffRoleService', () => {
  it('keeps one role per token, stamped with who set it and when', async () => {
    const { service, roles } = sut();
    expect(await service.set('u_0000000000000001', 'nurse', 'admin')).toEqual({
      userToken: 'u_0000000000000001',
      role: 'nurse',
      updatedAt: 5_000,
      updatedBy: 'admin',
    });
    await service.set('u_0000000000000001', 'physician', 'alice.admin');
    expect(roles.rows).toHaveLength(1);
    expect(await service.roleOf('u_0000000000000001')).toBe('physician');
  });

  it('changes nothing when its audit row cannot be written', async () => {
    const { service, roles, auditRows } = sut();
    await service.set('u_0000000000000001', 'nurse', 'admin');
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.set('u_0000000000000001', 'it_staff', 'admin')).rejects.toThrow('disk full');
    expect(await service.roleOf('u_0000000000000001')).toBe('nurse');
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.remove('u_0000000000000001', 'admin')).rejects.toThrow('disk full');
    expect(roles.rows).toHaveLength(1);
    expect(auditRows.actions()).toEqual(['staff_role.set']);
  });
});
