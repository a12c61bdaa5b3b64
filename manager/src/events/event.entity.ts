import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** One stored observation. (agent_id, event_id) is the key: an agent resending an event changes nothing. */
@Entity({ name: 'event' })
export class EventEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'varchar', length: 255 })
  hostname!: string;

  @Column({ name: 'time_ms', type: 'bigint', transformer: epochMs })
  timeMs!: number;

  @Column({ name: 'received_ms', type: 'bigint', transformer: epochMs })
  receivedMs!: number;

  /** 0..5 as in the proto Severity, so that "at least medium" is a comparison. */
  @Column({ type: 'integer' })
  severity!: number;

  @Column({ name: 'user_name', type: 'varchar', length: 256 })
  user!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'text', transformer: jsonText })
  detail!: Record<string, unknown>;
}
