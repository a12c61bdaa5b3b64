import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../epoch-ms.transformer';

export type UserRole = 'admin' | 'analyst';

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
}
