import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** How far the audit log has been turned into outbox rows (one row, `audit`). */
@Entity({ name: 'forward_cursor' })
export class ForwardCursorEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ name: 'last_seq', type: 'bigint', transformer: epochMs })
  lastSeq!: number;
}
