// Storage of sign-in sessions: only the hash of each session token is kept.
import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, Not } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(SessionEntity);
  }

  async insert(session: SessionEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(session);
  }

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.repo().findOneBy({ tokenHash });
  }

  /** Returns whether there was such a session. */
  async deleteByTokenHash(tokenHash: string): Promise<boolean> {
    return ((await this.repo().delete({ tokenHash })).affected ?? 0) > 0;
  }

  async touch(tokenHash: string, lastSeenAt: number): Promise<void> {
    await this.repo().update({ tokenHash }, { lastSeenAt });
  }

  /** Drops sessions past their absolute end (`now`) or not used since `seenBefore`. */
  async deleteExpired(now: number, seenBefore = 0): Promise<void> {
    await this.repo().delete({ expiresAt: LessThan(now) });
    if (seenBefore > 0) await this.repo().delete({ lastSeenAt: LessThan(seenBefore) });
  }

  /** Ends every session of the user but the one kept (if any); returns how many ended. */
  async deleteForUser(userId: string, tx?: Tx, keepTokenHash?: string): Promise<number> {
    const where = keepTokenHash === undefined ? { userId } : { userId, tokenHash: Not(keepTokenHash) };
    return (await this.repo(tx).delete(where)).affected ?? 0;
  }
}
