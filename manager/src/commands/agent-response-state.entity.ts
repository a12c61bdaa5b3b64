import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/**
 * What the manager knows of one agent's response side: the command keys it reported in its
 * last Hello (which key may sign for it), and its break-glass and maintenance state as its
 * LocalActions told it (shown on the dashboard, read by playbooks).
 */
@Entity({ name: 'agent_response_state' })
export class AgentResponseStateEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @Column({ name: 'key_ids', type: 'text', transformer: jsonText })
  keyIds!: string[];

  @Column({ name: 'break_glass_until', type: 'bigint', nullable: true, transformer: epochMs })
  breakGlassUntil!: number | null;

  @Column({ name: 'maintenance_until', type: 'bigint', nullable: true, transformer: epochMs })
  maintenanceUntil!: number | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
