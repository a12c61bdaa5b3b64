// Storage of sign-ins on their way through the provider. `take` reads and deletes in one
// step, so that two callbacks racing with the same cookie cannot both get the transaction.
import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { OidcTransactionEntity } from './oidc-transaction.entity';

@Injectable()
export class OidcTransactionRepository {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(OidcTransactionEntity);
  }

  async insert(transaction: OidcTransactionEntity): Promise<void> {
    await this.repo.insert(transaction);
  }

  /** The transaction, removed; undefined when there is none or another caller removed it first. */
  async take(tokenHash: string): Promise<OidcTransactionEntity | undefined> {
    const found = await this.repo.findOneBy({ tokenHash });
    if (!found) return undefined;
    const removed = (await this.repo.delete({ tokenHash })).affected ?? 0;
    return removed > 0 ? found : undefined;
  }

  async deleteExpired(now: number): Promise<void> {
    await this.repo.delete({ expiresAt: LessThan(now) });
  }
}
