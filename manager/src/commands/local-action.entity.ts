import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** A LocalAction an agent reported, kept so that a repeated id is recognised and ignored. */
@Entity({ name: 'local_action' })
export class LocalActionEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'time_ms', type: 'bigint', transformer: epochMs })
  timeMs!: number;

  @Column({ name: 'received_at', type: 'bigint', transformer: epochMs })
  receivedAt!: number;
}
