import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** Append-only and hash-chained: `hash` covers `prev_hash` and this row's canonical content. */
@Entity({ name: 'audit_log' })
export class AuditLogEntity {
  /** 1, 2, 3, … without gaps: a deleted row shows as a gap or a broken link. */
  @PrimaryColumn({ type: 'bigint', transformer: epochMs })
  seq!: number;

  @Column({ name: 'time_ms', type: 'bigint', transformer: epochMs })
  timeMs!: number;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 255 })
  target!: string;

  @Column({ type: 'text', transformer: jsonText })
  details!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
