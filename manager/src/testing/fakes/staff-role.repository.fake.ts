// In-memory StaffRoleRepository for unit tests: ordered by token, as the real one.
import type { StaffRoleEntity } from '../../staff-roles/staff-role.entity';
import type { StaffRoleRepository } from '../../staff-roles/staff-role.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryStaffRoleRepository extends InMemoryTable<StaffRoleEntity> implements Public<StaffRoleRepository> {
  find(userToken: string): Promise<StaffRoleEntity | null> {
    const row = this.rows.find((r) => r.userToken === userToken);
    return Promise.resolve(row ? { ...row } : null);
  }
  page(limit: number, after?: string): Promise<StaffRoleEntity[]> {
    const rows = this.rows
      .filter((r) => after === undefined || r.userToken > after)
      .sort((a, b) => (a.userToken < b.userToken ? -1 : a.userToken > b.userToken ? 1 : 0))
      .slice(0, limit + 1);
    return Promise.resolve(rows.map((r) => ({ ...r })));
  }
  upsert(row: StaffRoleEntity): Promise<void> {
    this.rows = [...this.rows.filter((r) => r.userToken !== row.userToken), { ...row }];
    return Promise.resolve();
  }
  delete(userToken: string): Promise<void> {
    this.rows = this.rows.filter((r) => r.userToken !== userToken);
    return Promise.resolve();
  }
}
