// Storage of second factors. The two writes that must not race are single conditional
// UPDATEs: a TOTP step is accepted only if it is later than the stored one, a recovery
// code only if it is still unused; two requests with one code, on one manager or
// several, cannot both succeed.
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan, Not, Or } from 'typeorm';
import { entityManager, type Tx } from '../../database/transaction.runner';
import { MfaRecoveryCodeEntity, UserMfaEntity } from './mfa.entity';

@Injectable()
export class MfaRepository {
  constructor(private readonly db: DataSource) {}

  private factors(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(UserMfaEntity);
  }

  private codes(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(MfaRecoveryCodeEntity);
  }

  find(userId: string, tx?: Tx): Promise<UserMfaEntity | null> {
    return this.factors(tx).findOneBy({ userId });
  }

  /** Whether the user has a confirmed second factor. */
  async isEnabled(userId: string): Promise<boolean> {
    return (await this.factors().countBy({ userId, confirmedAt: Not(IsNull()) })) > 0;
  }

  /** Stores a new, unconfirmed enrolment in place of any earlier unconfirmed one. */
  async replacePending(row: UserMfaEntity, tx: Tx): Promise<void> {
    await this.factors(tx).delete({ userId: row.userId, confirmedAt: IsNull() });
    await this.factors(tx).insert(row);
  }

  /** Confirms the pending enrolment with its first accepted step; false when there was none. */
  async confirm(userId: string, at: number, step: number, tx: Tx): Promise<boolean> {
    const result = await this.factors(tx).update(
      { userId, confirmedAt: IsNull() },
      { confirmedAt: at, lastStep: step },
    );
    return result.affected === 1;
  }

  /** Records `step` as accepted unless it, or a later one, already was: true when this call won. */
  async advanceStep(userId: string, step: number): Promise<boolean> {
    const result = await this.factors().update({ userId, lastStep: Or(IsNull(), LessThan(step)) }, { lastStep: step });
    return result.affected === 1;
  }

  /** Removes the factor and its recovery codes; returns whether there was a factor. */
  async remove(userId: string, tx: Tx): Promise<boolean> {
    await this.removeRecoveryCodes(userId, tx);
    return this.removeApp(userId, tx);
  }

  /** Removes the app only; its recovery codes stay (they serve the user's security keys too). */
  async removeApp(userId: string, tx: Tx): Promise<boolean> {
    return ((await this.factors(tx).delete({ userId })).affected ?? 0) > 0;
  }

  async removeRecoveryCodes(userId: string, tx: Tx): Promise<void> {
    await this.codes(tx).delete({ userId });
  }

  async replaceRecoveryCodes(userId: string, hashes: string[], at: number, tx: Tx): Promise<void> {
    await this.codes(tx).delete({ userId });
    await this.codes(tx).insert(hashes.map((codeHash) => ({ codeHash, userId, createdAt: at, usedAt: null })));
  }

  /** Marks the code used if it is the user's and unused: true when this call used it. */
  async useRecoveryCode(userId: string, codeHash: string, at: number): Promise<boolean> {
    const result = await this.codes().update({ codeHash, userId, usedAt: IsNull() }, { usedAt: at });
    return result.affected === 1;
  }

  countUnusedRecoveryCodes(userId: string): Promise<number> {
    return this.codes().countBy({ userId, usedAt: IsNull() });
  }
}
