import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** One stored observation. (agent_id, event_id) is the key: an agent resending an event changes nothing. */
@Entity({ name: 'event' })
@Index('idx_event_agent_sequence', ['agentId', 'sequence'])
export class EventEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  /**
   * The agent's per-event sequence (agent/src/outbox/disk-outbox.ts). Not unique: the
   * value is the agent's claim, and a repeat must show up in the check, not fail a batch.
   */
  @Column({ type: 'bigint', nullable: true, transformer: epochMs })
  sequence!: number | null;

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
