// In-memory AccountBackoffRepository for unit tests: the same arithmetic as the SQL upsert.
import type { AccountBackoffEntity } from '../../auth/throttle/account-backoff.entity';
import type { AccountBackoffRepository } from '../../auth/throttle/account-backoff.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryAccountBackoffRepository
  extends InMemoryTable<AccountBackoffEntity>
  implements Public<AccountBackoffRepository>
{
  find(account: string): Promise<AccountBackoffEntity | null> {
    const row = this.rows.find((r) => r.account === account);
    return Promise.resolve(row ? { ...row } : null);
  }
  addFailure(account: string, now: number, forgetBefore: number): Promise<number> {
    const row = this.rows.find((r) => r.account === account);
    if (!row) {
      this.rows.push({ account, failures: 1, lastFailureAt: now, blockedUntil: 0 });
      return Promise.resolve(1);
    }
    row.failures = row.lastFailureAt < forgetBefore ? 1 : row.failures + 1;
    row.lastFailureAt = now;
    return Promise.resolve(row.failures);
  }
  blockUntil(account: string, until: number): Promise<void> {
    const row = this.rows.find((r) => r.account === account);
    if (row && row.blockedUntil < until) row.blockedUntil = until;
    return Promise.resolve();
  }
  clear(account: string): Promise<void> {
    this.rows = this.rows.filter((r) => r.account !== account);
    return Promise.resolve();
  }
  deleteIdle(before: number): Promise<number> {
    const kept = this.rows.filter((r) => r.lastFailureAt >= before);
    const deleted = this.rows.length - kept.length;
    this.rows = kept;
    return Promise.resolve(deleted);
  }
}
