// Single-use, expiring enrollment tokens. The token is shown once to whoever
// creates it; only its hash is stored, and using it marks it used in the same
// transaction that registers the agent.
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { sha256Hex } from '../common/hash';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { EnrollmentTokenRepository } from './enrollment-token.repository';
import type { EnrollmentTokenState, EnrollmentTokenSummary } from '@wardwatch/shared';
import type { EnrollmentTokenEntity } from './enrollment-token.entity';
import { EnrollmentError, EnrollmentTokenError } from './enrollment.errors';

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

  /** The newest tokens, each with the state it is in now. */
  async list(): Promise<EnrollmentTokenSummary[]> {
    const now = this.clock.now();
    return (await this.repo.listNewest()).map((row) => ({
      id: row.tokenHash,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      createdBy: row.createdBy,
      usedAt: row.usedAt,
      usedByAgent: row.usedByAgent,
      revokedAt: row.revokedAt ?? null,
      state: stateOf(row, now),
    }));
  }

  /** Withdraws an unused token (by the hash the list names it with); audited with the change. */
  async revoke(tokenHash: string, revokedBy: string): Promise<void> {
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      if (!(await this.repo.markRevoked(tokenHash, now, tx))) {
        const row = await this.repo.findByHash(tokenHash, tx);
        if (!row) throw new EnrollmentTokenError('token_not_found', 'no such enrollment token');
        if (row.usedAt !== null) throw new EnrollmentTokenError('token_used', 'the token enrolled an agent already');
        return; // revoked before: revoking again changes nothing and is not audited twice
      }
      await this.audit.append(
        { actor: revokedBy, action: 'enrollment_token.revoke', target: tokenHash.slice(0, 12), details: {} },
        tx,
      );
    });
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
    if (row.revokedAt) throw new EnrollmentError('invalid_token', 'enrollment token revoked');
    if (row.expiresAt <= this.clock.now()) throw new EnrollmentError('invalid_token', 'enrollment token expired');
  }
}

function stateOf(row: EnrollmentTokenEntity, now: number): EnrollmentTokenState {
  if (row.usedAt !== null) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now ? 'expired' : 'active';
}
