// Storage of sign-in sessions: only the hash of each session token is kept.
import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
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

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.repo().delete({ tokenHash });
  }

  async deleteExpired(now: number): Promise<void> {
    await this.repo().delete({ expiresAt: LessThan(now) });
  }

  /** Ends every session of the user; returns how many there were. */
  async deleteForUser(userId: string, tx?: Tx): Promise<number> {
    return (await this.repo(tx).delete({ userId })).affected ?? 0;
  }
}
