import type { DestinationConfig, ForwardKind } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** A SIEM destination an admin configured; `config` holds the webhook secret, never answered back. */
@Entity({ name: 'forward_destination' })
export class ForwardDestinationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'varchar', length: 64, transformer: jsonText })
  kinds!: ForwardKind[];

  @Column({ type: 'text', transformer: jsonText })
  config!: DestinationConfig;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'delivered_count', type: 'bigint', transformer: epochMs })
  deliveredCount!: number;

  /** When the receiver last took a record (null = never). */
  @Column({ name: 'last_delivered_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastDeliveredAt!: number | null;

  @Column({ name: 'dead_count', type: 'bigint', transformer: epochMs })
  deadCount!: number;
}
