// Storage of security keys and their challenges. The two writes that must not race are
// single conditional statements: a challenge is spent by a DELETE that only one request
// can win, and a signature counter advances by an UPDATE that only a greater value
// passes; two requests with one assertion, on one manager or several, cannot both succeed.
import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { entityManager, type Tx } from '../../../database/transaction.runner';
import { SecurityKeyEntity, WebAuthnChallengeEntity, type WebAuthnPurpose } from './security-key.entity';

@Injectable()
export class SecurityKeyRepository {
  constructor(private readonly db: DataSource) {}

  private keys(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(SecurityKeyEntity);
  }

  private challenges(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(WebAuthnChallengeEntity);
  }

  listOf(userId: string): Promise<SecurityKeyEntity[]> {
    return this.keys().find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async hasAny(userId: string): Promise<boolean> {
    return (await this.countOf(userId)) > 0;
  }

  countOf(userId: string, tx?: Tx): Promise<number> {
    return this.keys(tx).countBy({ userId });
  }

  findByCredentialId(credentialId: string): Promise<SecurityKeyEntity | null> {
    return this.keys().findOneBy({ credentialId });
  }

  async insert(row: SecurityKeyEntity, tx: Tx): Promise<void> {
    await this.keys(tx).insert(row);
  }

  /** Removes one of the user's keys; false when the user has no key of that id. */
  async remove(userId: string, id: string, tx: Tx): Promise<boolean> {
    return ((await this.keys(tx).delete({ userId, id })).affected ?? 0) > 0;
  }

  /** Removes all of a user's keys (an admin's reset); returns how many there were. */
  async removeAllOf(userId: string, tx: Tx): Promise<number> {
    return (await this.keys(tx).delete({ userId })).affected ?? 0;
  }

  /**
   * Records a use: the counter moves to `signCount` only if it is greater than the stored one
   * (an authenticator without a counter reports 0 for ever, and 0 after 0 passes). True when this call won.
   */
  async recordUse(id: string, signCount: number, at: number): Promise<boolean> {
    const where = signCount === 0 ? { id, signCount: 0 } : { id, signCount: LessThan(signCount) };
    const result = await this.keys().update(where, { signCount, lastUsedAt: at });
    return result.affected === 1;
  }

  /** Stores a new challenge in place of the user's earlier one of the same purpose. */
  async replaceChallenge(row: WebAuthnChallengeEntity): Promise<void> {
    await this.challenges().delete({ userId: row.userId, purpose: row.purpose });
    await this.challenges().insert(row);
  }

  /** Spends the challenge if it is this user's, of this purpose and unexpired: true when this call spent it. */
  async spendChallenge(challenge: string, userId: string, purpose: WebAuthnPurpose, now: number): Promise<boolean> {
    const result = await this.challenges().delete({ challenge, userId, purpose, expiresAt: MoreThan(now) });
    return result.affected === 1;
  }
}
