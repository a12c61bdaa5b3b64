import type { UserRole } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

export type { UserRole } from '@wardwatch/shared';

@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  username!: string;

  /** scrypt$N$r$p$salt$hash (base64url parts). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** Set when an admin disabled the account: it can no longer sign in, its sessions are gone. */
  @Column({ name: 'disabled_at', type: 'bigint', nullable: true, transformer: epochMs })
  disabledAt!: number | null;

  /** True while the password is the one-time password an admin was shown. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;
}
