import type { RolloutState } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../../database/epoch-ms.transformer';

/** The staged rollout of one policy version (see rollout.service.ts). */
@Entity({ name: 'policy_rollout' })
export class PolicyRolloutEntity {
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The version the rest of the fleet holds until this one is promoted. */
  @Column({ name: 'from_version', type: 'integer' })
  fromVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: RolloutState;

  /** Agent ids, bounded by the fleet listing. */
  @Column({ type: 'text', transformer: jsonText })
  canaries!: string[];

  @Column({ name: 'started_at', type: 'bigint', transformer: epochMs })
  startedAt!: number;

  /** Reports older than this (or than startedAt) neither halt nor promote. */
  @Column({ name: 'resumed_at', type: 'bigint', nullable: true, transformer: epochMs })
  resumedAt!: number | null;

  @Column({ name: 'canaries_ok_at', type: 'bigint', nullable: true, transformer: epochMs })
  canariesOkAt!: number | null;

  @Column({ name: 'halt_reason', type: 'varchar', length: 500, nullable: true })
  haltReason!: string | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 128 })
  updatedBy!: string;
}
