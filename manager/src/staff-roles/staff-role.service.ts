// The clinical role of each monitored user, by pseudonymous token, as an admin keeps
// it: playbooks read it (`userRolesAnyOf`); every change is audited with the role
// before and after, in the same transaction. The manager learns no role any other way.
import { Injectable } from '@nestjs/common';
import type { ClinicalRole, StaffRolePage, StaffRoleQuery, StaffRoleView } from '@wardwatch/shared';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { pageCursor, toPage } from '../common/page-cursor';
import { TransactionRunner } from '../database/transaction.runner';
import type { StaffRoleEntity } from './staff-role.entity';
import { StaffRoleError } from './staff-role.errors';
import { StaffRoleRepository } from './staff-role.repository';

const cursor = pageCursor(z.tuple([z.string().max(32)]));

const toView = (row: StaffRoleEntity): StaffRoleView => ({
  userToken: row.userToken,
  role: row.role,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
});

@Injectable()
export class StaffRoleService {
  constructor(
    private readonly repo: StaffRoleRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The role on record for this user token, or null (also for no token at all). */
  async roleOf(userToken: string | null): Promise<ClinicalRole | null> {
    if (!userToken) return null;
    return (await this.repo.find(userToken))?.role ?? null;
  }

  async page(query: StaffRoleQuery): Promise<StaffRolePage> {
    const after = query.cursor === undefined ? undefined : cursor.decode(query.cursor)[0];
    const rows = await this.repo.page(query.limit, after);
    return toPage(rows, query.limit, toView, (row) => cursor.encode([row.userToken]));
  }

  /** Sets or replaces the role; audited `staff_role.set` with the role before (null when new) and after. */
  async set(userToken: string, role: ClinicalRole, actor: string): Promise<StaffRoleView> {
    const row: StaffRoleEntity = { userToken, role, updatedAt: this.clock.now(), updatedBy: actor };
    await this.transactions.run(async (tx) => {
      const before = (await this.repo.find(userToken, tx))?.role ?? null;
      await this.repo.upsert(row, tx);
      await this.audit.append(
        { actor, action: 'staff_role.set', target: userToken, details: { before, after: role } },
        tx,
      );
    });
    return toView(row);
  }

  /** Removes the role (the user then matches no role); audited `staff_role.remove`. */
  async remove(userToken: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const before = await this.repo.find(userToken, tx);
      if (!before) throw new StaffRoleError('not_found', 'no role on record for this user token');
      await this.repo.delete(userToken, tx);
      await this.audit.append(
        { actor, action: 'staff_role.remove', target: userToken, details: { before: before.role } },
        tx,
      );
    });
  }
}
