// Storage of per-account sign-in backoff. A failure is one upsert that increments the
// stored count (ON CONFLICT … DO UPDATE, RETURNING the new count) so that concurrent
// failures on one account, in one manager or several, all count; the block time is
// then raised, never lowered, by a second statement.
import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { AccountBackoffEntity } from './account-backoff.entity';

@Injectable()
export class AccountBackoffRepository {
  constructor(private readonly db: DataSource) {}

  private get postgres(): boolean {
    return this.db.options.type === 'postgres';
  }

  /** `$n` on PostgreSQL, `?` on SQLite. */
  private sql(text: string): string {
    let n = 0;
    return this.postgres ? text.replace(/\?/g, () => `$${++n}`) : text;
  }

  find(account: string): Promise<AccountBackoffEntity | null> {
    return this.db.getRepository(AccountBackoffEntity).findOneBy({ account });
  }

  /**
   * Counts one more failure at `now` (from one again when the last was before
   * `forgetBefore`) and returns the new count.
   */
  async addFailure(account: string, now: number, forgetBefore: number): Promise<number> {
    const rows: unknown = await this.db.query(
      this.sql(
        `INSERT INTO login_backoff (account, failures, last_failure_at, blocked_until) VALUES (?, 1, ?, 0)
         ON CONFLICT (account) DO UPDATE SET
           failures = CASE WHEN login_backoff.last_failure_at < ? THEN 1 ELSE login_backoff.failures + 1 END,
           last_failure_at = excluded.last_failure_at
         RETURNING failures`,
      ),
      [account, now, forgetBefore],
    );
    const first = Array.isArray(rows) ? (rows[0] as { failures?: unknown } | undefined) : undefined;
    return Number(first?.failures ?? 1);
  }

  /** Blocks the account until `until` unless it is blocked longer already. */
  async blockUntil(account: string, until: number): Promise<void> {
    await this.db.query(
      this.sql(`UPDATE login_backoff SET blocked_until = ? WHERE account = ? AND blocked_until < ?`),
      [until, account, until],
    );
  }

  /** Forgets the account's failures (a successful sign-in). */
  async clear(account: string): Promise<void> {
    await this.db.getRepository(AccountBackoffEntity).delete({ account });
  }

  /** Deletes rows whose last failure is older than `before` (their count would restart anyway). */
  async deleteIdle(before: number): Promise<number> {
    const result = await this.db.getRepository(AccountBackoffEntity).delete({ lastFailureAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
