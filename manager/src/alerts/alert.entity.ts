import type { AlertKind, AlertStatus, AlertVerdict } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

export type { AlertStatus, AlertVerdict };

/** A plain-language reason with the figures behind it (AlertReason in the REST schema). */
export interface ReasonRecord {
  text: string;
  source: 'rule' | 'baseline' | 'model' | 'context';
  feature?: string;
  ruleId?: string;
  value?: number;
  usual?: number;
}

/** A process an agent held responsible: pid and start time (clock ticks after boot), so a reused pid is not killed. */
export interface SuspectRecord {
  pid: number;
  startTime: number;
}

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

  /** What raised it (AlertKind in the REST schema). */
  @Column({ type: 'varchar', length: 24, default: 'behaviour' })
  kind!: AlertKind;

  @Column({ name: 'event_ids', type: 'text', transformer: jsonText })
  eventIds!: string[];

  // Alerts raised from an agent's risk score (null for alerts from a single event;
  // an agent_silent alert keeps its last contact in window_start and, once the agent
  // is heard from again, that time in window_end):

  /** The user's pseudonym. */
  @Column({ name: 'user_pseudonym', type: 'varchar', length: 256, nullable: true })
  user!: string | null;

  @Column({ name: 'window_start', type: 'bigint', nullable: true, transformer: epochMs })
  windowStart!: number | null;

  @Column({ name: 'window_end', type: 'bigint', nullable: true, transformer: epochMs })
  windowEnd!: number | null;

  @Column({ type: 'real', nullable: true })
  threshold!: number | null;

  @Column({ name: 'model_source', type: 'varchar', length: 16, nullable: true })
  modelSource!: string | null;

  @Column({ name: 'reason_details', type: 'text', nullable: true, transformer: jsonText })
  reasonDetails!: ReasonRecord[] | null;

  @Column({ name: 'rule_ids', type: 'text', nullable: true, transformer: jsonText })
  ruleIds!: string[] | null;

  /** The processes the agent held responsible in the newest score that named any (Score.suspects). */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  suspects!: SuspectRecord[] | null;

  /** 0–1: how unlike its owner the least owner-like session of the window was (the largest of its scores); null: none judged. */
  @Column({ name: 'identity_mismatch', type: 'real', nullable: true })
  identityMismatch!: number | null;

  /** Last time a later score of the same window raised it. */
  @Column({ name: 'updated_at', type: 'bigint', nullable: true, transformer: epochMs })
  updatedAt!: number | null;

  // Triage (triage/): each change is written over `revision` and raises it.

  @Column({ type: 'integer', default: 1 })
  revision!: number;

  /** The dashboard user who owns it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 64, nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledged_at', type: 'bigint', nullable: true, transformer: epochMs })
  acknowledgedAt!: number | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 64, nullable: true })
  closedBy!: string | null;

  @Column({ name: 'closed_at', type: 'bigint', nullable: true, transformer: epochMs })
  closedAt!: number | null;

  /** Set at close; `false_positive` is what retraining looks for (idx_alert_verdict_closed). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  verdict!: AlertVerdict | null;
}

/** The triage fields, as a change writes them. */
export type AlertTriageFields = Pick<
  AlertEntity,
  'status' | 'assignee' | 'acknowledgedBy' | 'acknowledgedAt' | 'closedBy' | 'closedAt' | 'verdict'
>;
