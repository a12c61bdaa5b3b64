import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/**
 * One fleet-wide incident (incidents/): an attacking source or an account on many
 * workstations, over one episode of activity. Updated in place while the episode
 * goes on; `status` becomes closed after the rule's quiet gap.
 */
@Entity({ name: 'incident' })
@Index('idx_incident_subject', ['kind', 'subject', 'status'])
@Index('idx_incident_status_updated', ['status', 'updatedMs'])
export class IncidentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: 'source_failed_logons' | 'account_cross_host';

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  @Column({ type: 'varchar', length: 8 })
  status!: 'open' | 'closed';

  @Column({ name: 'first_seen_ms', type: 'bigint', transformer: epochMs })
  firstSeenMs!: number;

  @Column({ name: 'last_seen_ms', type: 'bigint', transformer: epochMs })
  lastSeenMs!: number;

  @Column({ type: 'integer' })
  events!: number;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'text', transformer: jsonText })
  accounts!: string[];

  @Column({ name: 'account_count', type: 'integer' })
  accountCount!: number;

  /** Host names of the workstations, bounded. */
  @Column({ type: 'text', transformer: jsonText })
  workstations!: string[];

  @Column({ name: 'workstation_count', type: 'integer' })
  workstationCount!: number;

  @Column({ type: 'text' })
  reason!: string;

  /** `{agentId, eventId}` of the first evidence events, bounded. */
  @Column({ type: 'text', transformer: jsonText })
  evidence!: { agentId: string; eventId: string }[];

  @Column({ name: 'evidence_count', type: 'integer' })
  evidenceCount!: number;

  @Column({ name: 'created_ms', type: 'bigint', transformer: epochMs })
  createdMs!: number;

  /** Manager time of the last write with new activity; closing compares it with the quiet gap. */
  @Column({ name: 'updated_ms', type: 'bigint', transformer: epochMs })
  updatedMs!: number;
}
