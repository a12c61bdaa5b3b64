import type { ApprovalState, IssueState } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';
import type { IssueCommandRequest } from '../commands/command-issuer';

/** One person's approval or rejection of a proposal. */
export interface DecisionRecord {
  by: string;
  at: number;
  comment: string;
}

/** An action a playbook proposed, waiting for (or past) the approval of one or two people. */
@Entity({ name: 'approval' })
export class ApprovalEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 1000 })
  summary!: string;

  /** The commands to issue once approved (IssueCommandRequest[] as JSON). */
  @Column({ type: 'text', transformer: jsonText })
  commands!: IssueCommandRequest[];

  @Column({ name: 'alert_id', type: 'varchar', length: 64, nullable: true })
  alertId!: string | null;

  @Column({ name: 'playbook_id', type: 'varchar', length: 128 })
  playbookId!: string;

  @Column({ name: 'playbook_version', type: 'integer' })
  playbookVersion!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: ApprovalState;

  @Column({ name: 'two_person_reason', type: 'varchar', length: 500, nullable: true })
  twoPersonReason!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 128, nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  approvals!: DecisionRecord[];

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  rejection!: DecisionRecord | null;

  /** Raised by every change: a change is written only over the revision it was decided on. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'issue_state', type: 'varchar', length: 16 })
  issueState!: IssueState;

  @Column({ name: 'command_ids', type: 'text', transformer: jsonText })
  commandIds!: string[];

  @Column({ name: 'issue_error', type: 'varchar', length: 500, nullable: true })
  issueError!: string | null;
}
