// In-memory ApprovalRepository for unit tests: the revision check and the newest-first
// order of the real one, so conflicts and cursors behave the same.
import type { ApprovalState } from '@wardwatch/shared';
import type { ApprovalEntity } from '../../approvals/approval.entity';
import type { ApprovalChanges, ApprovalKey, ApprovalRepository } from '../../approvals/approval.repository';
import { InMemoryTable, type Public } from './fakes';

const newerFirst = (a: ApprovalEntity, b: ApprovalEntity) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class InMemoryApprovalRepository extends InMemoryTable<ApprovalEntity> implements Public<ApprovalRepository> {
  insert(approval: ApprovalEntity): Promise<void> {
    if (this.rows.some((r) => r.id === approval.id)) return Promise.reject(new Error('duplicate approval id'));
    this.rows.push(structuredClone(approval));
    return Promise.resolve();
  }
  findById(id: string): Promise<ApprovalEntity | null> {
    const row = this.rows.find((r) => r.id === id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  updateAtRevision(id: string, revision: number, changes: ApprovalChanges): Promise<boolean> {
    const row = this.rows.find((r) => r.id === id && r.revision === revision);
    if (!row) return Promise.resolve(false);
    Object.assign(row, structuredClone(changes), { revision: revision + 1 });
    return Promise.resolve(true);
  }
  page(states: readonly ApprovalState[] | undefined, limit: number, after?: ApprovalKey): Promise<ApprovalEntity[]> {
    const rows = this.rows
      .filter((r) => !states || states.includes(r.state))
      .filter((r) => !after || r.createdAt < after[0] || (r.createdAt === after[0] && r.id < after[1]))
      .sort(newerFirst)
      .slice(0, limit + 1);
    return Promise.resolve(rows.map((r) => structuredClone(r)));
  }
  duePending(now: number, limit: number): Promise<ApprovalEntity[]> {
    const rows = this.rows
      .filter((r) => r.state === 'pending' && r.expiresAt <= now)
      .sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    return Promise.resolve(rows.map((r) => structuredClone(r)));
  }
  countPending(now: number): Promise<number> {
    return Promise.resolve(this.rows.filter((r) => r.state === 'pending' && r.expiresAt > now).length);
  }
}
