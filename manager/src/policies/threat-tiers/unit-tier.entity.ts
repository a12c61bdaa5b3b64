import type { TierCause } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../../database/epoch-ms.transformer';

/** A unit's threat-driven level (0: none) and the cause of its last change; a unit without a row is at 0. */
@Entity({ name: 'unit_tier' })
export class UnitTierEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  unit!: string;

  @Column({ type: 'integer' })
  level!: number;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  cause!: TierCause | null;

  @Column({ name: 'changed_at', type: 'bigint', transformer: epochMs })
  changedAt!: number;
}
