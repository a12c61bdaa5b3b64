import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** Single use and expiring. Only the sha256 of the token is stored. */
@Entity({ name: 'enrollment_token' })
export class EnrollmentTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;

  @Column({ name: 'used_by_agent', type: 'varchar', length: 64, nullable: true })
  usedByAgent!: string | null;

  /** When an admin withdrew it before use; a revoked token is refused. */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt?: number | null;
}
