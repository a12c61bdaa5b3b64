import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';
import type { CommandDecision } from './command-issuer';

/**
 * queued: waits for the agent (offline, or no pinned key reported yet); sent: written down its
 * stream; warning: the user was warned, the action follows; then one final state (done,
 * failed, refused, deferred, dry_run) from the agent's result, or expired when never sent in time.
 */
export type CommandState =
  'queued' | 'sent' | 'warning' | 'done' | 'failed' | 'refused' | 'deferred' | 'dry_run' | 'expired';

/** A response command to one agent and what became of it. */
@Entity({ name: 'command' })
export class CommandEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  /** The `$case` of CommandPayload.action (e.g. lockScreen). */
  @Column({ name: 'action_kind', type: 'varchar', length: 32 })
  actionKind!: string;

  /** The action's fields as JSON (CommandPayload.action.value). */
  @Column({ name: 'action_json', type: 'text', transformer: jsonText })
  action!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'warning_seconds', type: 'integer' })
  warningSeconds!: number;

  @Column({ type: 'boolean' })
  automatic!: boolean;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMs })
  issuedAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: CommandState;

  @Column({ name: 'decision_json', type: 'text', transformer: jsonText })
  decision!: CommandDecision;

  /** When it was first written down the agent's stream, and the key that signed it. */
  @Column({ name: 'sent_at', type: 'bigint', nullable: true, transformer: epochMs })
  sentAt!: number | null;

  @Column({ name: 'key_id', type: 'varchar', length: 16, nullable: true })
  keyId!: string | null;

  @Column({ name: 'result_outcome', type: 'varchar', length: 16, nullable: true })
  resultOutcome!: string | null;

  @Column({ name: 'result_message', type: 'varchar', length: 500, nullable: true })
  resultMessage!: string | null;

  @Column({ name: 'result_details', type: 'text', nullable: true, transformer: jsonText })
  resultDetails!: Record<string, unknown> | null;

  @Column({ name: 'finished_at', type: 'bigint', nullable: true, transformer: epochMs })
  finishedAt!: number | null;
}
