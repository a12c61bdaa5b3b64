import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/**
 * One action decided for one alert (decision-memory.ts): the key is the action kind, and
 * for a kill the suspect process. Its primary key makes the decision once only, across
 * restarts and concurrent evaluations alike.
 */
@Entity({ name: 'playbook_decision' })
export class PlaybookDecisionEntity {
  @PrimaryColumn({ name: 'alert_id', type: 'varchar', length: 64 })
  alertId!: string;

  /** decisionKey() of playbook-commands.ts, e.g. `lock_screen` or `kill_process_tree:4242:1733140000`. */
  @PrimaryColumn({ name: 'decision_key', type: 'varchar', length: 96 })
  decisionKey!: string;

  @Index('idx_playbook_decision_decided')
  @Column({ name: 'decided_at', type: 'bigint', transformer: epochMs })
  decidedAt!: number;
}
