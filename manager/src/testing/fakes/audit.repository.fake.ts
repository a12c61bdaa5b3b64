// In-memory AuditRepository for unit tests.
import type { AuditFilter } from '@wardwatch/shared';
import type { Tx } from '../../database/transaction.runner';
import { InMemoryTable, type Public } from './fakes';
import type { AuditRow } from '../../audit/audit-chain';
import { freshKeyring, type AuditKeyring } from '../../audit/audit-keyring';
import type { AuditRepository } from '../../audit/audit.repository';

/** A keyring made in memory, covering every row from the first. */
export function testAuditKeyring(): AuditKeyring {
  return freshKeyring(1);
}

export class InMemoryAuditRepository extends InMemoryTable<AuditRow> implements Public<AuditRepository> {
  /** When set, the next insert throws it (to test that the audited change rolls back). */
  failNextInsert: Error | undefined;

  /** No lock here: appends taking turns is tested on the real databases (audit.service.db.test.ts). */
  lockHead(_tx: Tx): Promise<void> {
    return Promise.resolve();
  }

  head(_tx?: Tx): Promise<AuditRow | undefined> {
    return Promise.resolve(this.rows.at(-1));
  }

  insert(row: AuditRow, _tx: Tx): Promise<void> {
    const failure = this.failNextInsert;
    this.failNextInsert = undefined;
    if (failure) return Promise.reject(failure);
    this.rows.push(row);
    return Promise.resolve();
  }

  list(limit: number, beforeSeq?: number, filter: AuditFilter = {}): Promise<AuditRow[]> {
    const rows = this.rows
      .filter(
        (r) =>
          (beforeSeq === undefined || r.seq < beforeSeq) &&
          (filter.actor === undefined || r.actor === filter.actor) &&
          (filter.action === undefined || r.action === filter.action) &&
          (filter.fromMs === undefined || r.timeMs >= filter.fromMs) &&
          (filter.toMs === undefined || r.timeMs <= filter.toMs),
      )
      .reverse();
    return Promise.resolve(rows.slice(0, limit));
  }

  listAfter(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return Promise.resolve(this.rows.filter((r) => r.seq > afterSeq).slice(0, limit));
  }

  nextSeq(): Promise<number> {
    return Promise.resolve((this.rows.at(-1)?.seq ?? 0) + 1);
  }

  actions(): string[] {
    return this.rows.map((r) => r.action);
  }
}
