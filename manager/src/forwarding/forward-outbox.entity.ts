import type { ForwardKind } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';
import type { ForwardRecord } from './forward-record';

/** One record waiting for one destination (`pending`), or given up on (`dead`). Delivered rows are deleted. */
@Entity({ name: 'forward_outbox' })
export class ForwardOutboxEntity {
  @PrimaryColumn({ name: 'destination_id', type: 'varchar', length: 36 })
  destinationId!: string;

  /** The same for every destination and every attempt: receivers dedupe on it. */
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 80 })
  eventId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ForwardKind;

  @Column({ type: 'text', transformer: jsonText })
  record!: ForwardRecord;

  @Column({ type: 'varchar', length: 8 })
  state!: 'pending' | 'dead';

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMs })
  nextAttemptAt!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'dead_at', type: 'bigint', nullable: true, transformer: epochMs })
  deadAt!: number | null;
}
