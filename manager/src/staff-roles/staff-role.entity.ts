import type { ClinicalRole } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** The clinical role an admin put on record for one pseudonymous user. */
@Entity({ name: 'staff_role' })
export class StaffRoleEntity {
  @PrimaryColumn({ name: 'user_token', type: 'varchar', length: 32 })
  userToken!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: ClinicalRole;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 128 })
  updatedBy!: string;
}
