import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.transformer';

/**
 * A user's authenticator (TOTP). While `confirmedAt` is null the enrolment waits for its
 * first code and the user has no second factor yet; a new enrolment replaces it.
 */
@Entity({ name: 'user_mfa' })
export class UserMfaEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** The secret sealed with AES-256-GCM under the key file's key (mfa-crypto.ts): never in clear. */
  @Column({ name: 'sealed_secret', type: 'varchar', length: 255 })
  sealedSecret!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'confirmed_at', type: 'bigint', nullable: true, transformer: epochMs })
  confirmedAt!: number | null;

  /** The last time step whose code was accepted: that code and every earlier one are refused. */
  @Column({ name: 'last_step', type: 'bigint', nullable: true, transformer: epochMs })
  lastStep!: number | null;
}

/** One single-use recovery code: only its keyed hash is stored; `usedAt` is set once. */
@Entity({ name: 'mfa_recovery_code' })
@Index('idx_mfa_recovery_code_user', ['userId'])
export class MfaRecoveryCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;
}
