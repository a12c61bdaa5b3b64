// Single-use, expiring enrollment tokens. The token is shown once to whoever
// creates it; only its hash is stored, and using it marks it used in the same
// transaction that registers the agent.
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { DomainError } from '../common/errors';
import { sha256Hex } from '../common/hash';
import { EnrollmentTokenEntity } from '../database/entities';

export const TOKEN_PREFIX = 'wwet_';

export interface CreatedToken {
  token: string;
  expiresAt: number;
}

@Injectable()
export class EnrollmentTokenService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly audit: AuditService,
  ) {}

  async create(ttlMinutes: number, createdBy: string): Promise<CreatedToken> {
    const token = this.random.token(TOKEN_PREFIX);
    const now = this.clock.now();
    const expiresAt = now + ttlMinutes * 60_000;
    const tokenHash = sha256Hex(token);
    await inTransaction(this.db, async (tx) => {
      await tx
        .getRepository(EnrollmentTokenEntity)
        .insert({ tokenHash, createdAt: now, expiresAt, createdBy, usedAt: null, usedByAgent: null });
      await this.audit.append(
        {
          actor: createdBy,
          action: 'enrollment_token.create',
          target: tokenHash.slice(0, 12),
          details: { expiresAt, ttlMinutes },
        },
        tx,
      );
    });
    return { token, expiresAt };
  }

  /**
   * Marks the token used by `agentId`, inside the caller's transaction. The
   * conditional update is the check: of two concurrent uses, one wins.
   */
  async consume(tx: EntityManager, token: string, agentId: string): Promise<void> {
    const now = this.clock.now();
    const tokenHash = sha256Hex(token);
    const result = await tx
      .getRepository(EnrollmentTokenEntity)
      .update({ tokenHash, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now, usedByAgent: agentId });
    if (result.affected === 1) return;
    await this.assertUsable(token, tx);
    throw new DomainError('invalid_token', 'enrollment token already used');
  }

  /** Throws the reason a token cannot be used now; consume() stays the deciding check. */
  async assertUsable(token: string, tx: EntityManager = this.db.manager): Promise<void> {
    const row = await tx.getRepository(EnrollmentTokenEntity).findOneBy({ tokenHash: sha256Hex(token) });
    if (!row) throw new DomainError('invalid_token', 'unknown enrollment token');
    if (row.usedAt !== null) throw new DomainError('invalid_token', 'enrollment token already used');
    if (row.expiresAt <= this.clock.now()) throw new DomainError('invalid_token', 'enrollment token expired');
  }
}
