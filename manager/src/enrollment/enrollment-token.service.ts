// Single-use, expiring enrollment tokens. The token is shown once to whoever
// creates it; only its hash is stored, and using it marks it used in the same
// transaction that registers the agent.
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { sha256Hex } from '../common/hash';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { EnrollmentTokenRepository } from './enrollment-token.repository';
import { EnrollmentError } from './enrollment.errors';

export const TOKEN_PREFIX = 'wwet_';

export interface CreatedToken {
  token: string;
  expiresAt: number;
}

@Injectable()
export class EnrollmentTokenService {
  constructor(
    private readonly repo: EnrollmentTokenRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly audit: AuditService,
  ) {}

  async create(ttlMinutes: number, createdBy: string): Promise<CreatedToken> {
    const token = this.random.token(TOKEN_PREFIX);
    const now = this.clock.now();
    const expiresAt = now + ttlMinutes * 60_000;
    const tokenHash = sha256Hex(token);
    await this.transactions.run(async (tx) => {
      await this.repo.insert({ tokenHash, createdAt: now, expiresAt, createdBy, usedAt: null, usedByAgent: null }, tx);
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
  async consume(tx: Tx, token: string, agentId: string): Promise<void> {
    if (await this.repo.markUsed(sha256Hex(token), this.clock.now(), agentId, tx)) return;
    await this.assertUsable(token, tx);
    throw new EnrollmentError('invalid_token', 'enrollment token already used');
  }

  /** The agent a used token enrolled, or null (unknown or unused token). */
  async usedBy(token: string): Promise<string | null> {
    const row = await this.repo.findByHash(sha256Hex(token));
    return row?.usedAt !== null && row?.usedAt !== undefined ? row.usedByAgent : null;
  }

  /** Throws the reason a token cannot be used now; consume() stays the deciding check. */
  async assertUsable(token: string, tx?: Tx): Promise<void> {
    const row = await this.repo.findByHash(sha256Hex(token), tx);
    if (!row) throw new EnrollmentError('invalid_token', 'unknown enrollment token');
    if (row.usedAt !== null) throw new EnrollmentError('invalid_token', 'enrollment token already used');
    if (row.expiresAt <= this.clock.now()) throw new EnrollmentError('invalid_token', 'enrollment token expired');
  }
}
