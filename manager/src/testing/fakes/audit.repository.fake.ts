// In-memory AuditRepository for unit tests.
import type { Tx } from '../../database/transaction.runner';
import { InMemoryTable, type Public } from './fakes';
import type { AuditRow } from '../../audit/audit-chain';
import type { AuditRepository } from '../../audit/audit.repository';

export class InMemoryAuditRepository extends InMemoryTable<AuditRow> implements Public<AuditRepository> {
  /** When set, the next insert throws it (to test that the audited change rolls back). */
  failNextInsert: Error | undefined;

  head(_tx: Tx): Promise<AuditRow | undefined> {
    return Promise.resolve(this.rows.at(-1));
  }

  insert(row: AuditRow, _tx: Tx): Promise<void> {
    const failure = this.failNextInsert;
    this.failNextInsert = undefined;
    if (failure) return Promise.reject(failure);
    this.rows.push(row);
    return Promise.resolve();
  }

  list(limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    const rows = this.rows.filter((r) => beforeSeq === undefined || r.seq < beforeSeq).reverse();
    return Promise.resolve(rows.slice(0, limit));
  }

  listAfter(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return Promise.resolve(this.rows.filter((r) => r.seq > afterSeq).slice(0, limit));
  }

  actions(): string[] {
    return this.rows.map((r) => r.action);
  }
}
