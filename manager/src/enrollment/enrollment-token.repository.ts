// Storage of enrollment tokens, by the hash of the token (the token itself is never stored).
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { EnrollmentTokenEntity } from './enrollment-token.entity';

/** The newest tokens a list shows. */
export const TOKEN_LIST_LIMIT = 200;

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
      { tokenHash, usedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now, usedByAgent: agentId },
    );
    return result.affected === 1;
  }

  /** The newest tokens first, at most TOKEN_LIST_LIMIT. */
  listNewest(): Promise<EnrollmentTokenEntity[]> {
    return this.repo().find({ order: { createdAt: 'DESC' }, take: TOKEN_LIST_LIMIT });
  }

  /** Marks an unused, unrevoked token revoked at `now`; false when it is used, revoked or unknown. */
  async markRevoked(tokenHash: string, now: number, tx: Tx): Promise<boolean> {
    const result = await this.repo(tx).update({ tokenHash, usedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
    return result.affected === 1;
  }
}
