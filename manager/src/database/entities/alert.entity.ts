import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../epoch-ms.transformer';

export type AlertStatus = 'open' | 'acknowledged' | 'closed';

@Entity({ name: 'alert' })
export class AlertEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ type: 'integer' })
  severity!: number;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'text', transformer: jsonText })
  reasons!: string[];

  @Column({ type: 'varchar', length: 16 })
  status!: AlertStatus;

  @Column({ name: 'event_ids', type: 'text', transformer: jsonText })
  eventIds!: string[];
}
