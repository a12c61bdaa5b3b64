import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';
import type { ReasonRecord } from './alert.entity';

/**
 * One window of one user's behaviour as scored by an agent (proto `Score`).
 * (agent_id, score_id) is the key: a resent score changes nothing.
 */
@Entity({ name: 'risk_score' })
export class RiskScoreEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  @PrimaryColumn({ name: 'score_id', type: 'varchar', length: 64 })
  scoreId!: string;

  /** The user's pseudonym, as the agent sent it. */
  @Column({ name: 'user_pseudonym', type: 'varchar', length: 256 })
  user!: string;

  @Column({ name: 'window_start', type: 'bigint', transformer: epochMs })
  windowStart!: number;

  @Column({ name: 'window_end', type: 'bigint', transformer: epochMs })
  windowEnd!: number;

  @Column({ type: 'real' })
  score!: number;

  @Column({ type: 'real' })
  threshold!: number;

  @Column({ type: 'integer' })
  severity!: number;

  @Column({ name: 'model_source', type: 'varchar', length: 16 })
  modelSource!: string;

  @Column({ name: 'baseline_source', type: 'varchar', length: 16 })
  baselineSource!: string;

  @Column({ type: 'text', transformer: jsonText })
  reasons!: ReasonRecord[];

  @Column({ name: 'rule_ids', type: 'text', transformer: jsonText })
  ruleIds!: string[];

  @Column({ type: 'boolean' })
  partial!: boolean;

  @Column({ name: 'scored_at', type: 'bigint', transformer: epochMs })
  scoredAt!: number;

  @Column({ name: 'received_at', type: 'bigint', transformer: epochMs })
  receivedAt!: number;

  /** The alert this score raised or updated, when it was above its threshold. */
  @Column({ name: 'alert_id', type: 'varchar', length: 64, nullable: true })
  alertId!: string | null;
}
