// Storage of enrollment tokens, by the hash of the token (the token itself is never stored).
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { EnrollmentTokenEntity } from './enrollment-token.entity';

@Injectable()
export class EnrollmentTokenRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(EnrollmentTokenEntity);
  }

  async insert(token: EnrollmentTokenEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(token);
  }

  findByHash(tokenHash: string, tx?: Tx): Promise<EnrollmentTokenEntity | null> {
    return this.repo(tx).findOneBy({ tokenHash });
  }

  /**
   * Marks the token used when it is unused and unexpired at `now`; false otherwise. The
   * conditional update is the check: of two concurrent uses, one wins.
   */
  async markUsed(tokenHash: string, now: number, agentId: string, tx: Tx): Promise<boolean> {
    const result = await this.repo(tx).update(
      { tokenHash, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now, usedByAgent: agentId },
    );
    return result.affected === 1;
  }
}
