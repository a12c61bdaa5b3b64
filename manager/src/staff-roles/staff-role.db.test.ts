// Staff roles on SQLite and PostgreSQL through the real service: set, replace (one row
// per token), page by token with the common cursor, remove; each change with its audit row.
import { describe, expect, it } from 'vitest';
import { Clock } from '../common/clock';
import { AuditRepository } from '../audit/audit.repository';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { StaffRoleRepository } from './staff-role.repository';
import { StaffRoleService } from './staff-role.service';

describe.each(testEngines)('staff roles on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('sets, replaces, pages and removes, each change audited', async () => {
    const { transactions, audit } = open.services;
    const service = new StaffRoleService(new StaffRoleRepository(open.db), transactions, audit, new Clock());
    await service.set('u_000000000000000b', 'nurse', 'admin');
    await service.set('u_000000000000000a', 'physician', 'admin');
    await service.set('u_000000000000000b', 'pharmacist', 'alice.admin');
    expect(await service.roleOf('u_000000000000000b')).toBe('pharmacist');
    expect(await service.roleOf('u_000000000000000c')).toBeNull();
    expect(await service.roleOf(null)).toBeNull();

    const first = await service.page({ limit: 1 });
    expect(first.items.map((r) => [r.userToken, r.role])).toEqual([['u_000000000000000a', 'physician']]);
    const second = await service.page({ limit: 1, cursor: first.nextCursor });
    expect(second.items).toMatchObject([
      { userToken: 'u_000000000000000b', role: 'pharmacist', updatedBy: 'alice.admin' },
    ]);
    expect(second.nextCursor).toBeUndefined();

    await service.remove('u_000000000000000a', 'admin');
    expect(await service.roleOf('u_000000000000000a')).toBeNull();
    await expect(service.remove('u_000000000000000a', 'admin')).rejects.toMatchObject({ status: 'not_found' });

    const rows = (await new AuditRepository(open.db).list(10)).reverse();
    expect(rows.map((r) => [r.actor, r.action, r.target, r.details])).toEqual([
      ['admin', 'staff_role.set', 'u_000000000000000b', { before: null, after: 'nurse' }],
      ['admin', 'staff_role.set', 'u_000000000000000a', { before: null, after: 'physician' }],
      ['alice.admin', 'staff_role.set', 'u_000000000000000b', { before: 'nurse', after: 'pharmacist' }],
      ['admin', 'staff_role.remove', 'u_000000000000000a', { before: 'physician' }],
    ]);
  });
});
