// What agents report about response: command results and local actions (break-glass,
// maintenance, local undo). Everything here comes from a workstation and is hostile:
// ids, strings and the details JSON are bounded; a result counts only for a command
// that was sent to this agent; the first final result wins (WARNING is replaced by a
// later final one; later duplicates are acknowledged and ignored); a WARNING is
// acknowledged too, so the agent stops resending it; a repeated local action id is ignored. What is ignored or cut is counted (CommandRefusals).
import { Injectable, Optional } from '@nestjs/common';
import { CommandOutcome, type CommandResult, type LocalAction } from '@wardwatch/proto';
import { isTokenFieldValue } from '@wardwatch/shared/pseudonyms';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { ResponseMetrics } from '../metrics/response-metrics';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import type { AgentResponseStateEntity } from './agent-response-state.entity';
import type { CommandState } from './command.entity';
import { CommandRefusals } from './command-refusals';
import { CommandRepository } from './command.repository';

export const MAX_RESULT_MESSAGE = 500;
export const MAX_DETAILS_BYTES = 8 * 1_024;
const MAX_ID = 64;
const MAX_DURATION_SECONDS = 86_400;
/** A break-glass or maintenance reported without a duration lasts this long, or until ended. */
const DEFAULT_DURATION_SECONDS = 4 * 3_600;

const outcomes = new Map<number, CommandState>([
  [CommandOutcome.COMMAND_OUTCOME_DONE, 'done'],
  [CommandOutcome.COMMAND_OUTCOME_FAILED, 'failed'],
  [CommandOutcome.COMMAND_OUTCOME_REFUSED, 'refused'],
  [CommandOutcome.COMMAND_OUTCOME_DEFERRED, 'deferred'],
  [CommandOutcome.COMMAND_OUTCOME_DRY_RUN, 'dry_run'],
  [CommandOutcome.COMMAND_OUTCOME_WARNING, 'warning'],
]);

export const localActionKinds = [
  'break_glass',
  'break_glass_ended',
  'maintenance',
  'maintenance_ended',
  'undo',
  // The agent's fanotify gate stopped a locker on its own (critical: no command, no approval).
  'ransomware_stopped',
] as const;
type LocalActionKind = (typeof localActionKinds)[number];

export type ResultVerdict =
  /** Stored (a final result, or a WARNING: the final one follows): acknowledge it. */
  | 'stored'
  /** Already had it (a final result, or a warning or final one for this WARNING): acknowledge it so the agent stops resending. */
  | 'duplicate'
  /** Not this agent's sent command, or not a result we read: nothing stored, no ack. */
  | 'ignored';

@Injectable()
export class AgentReportsService {
  constructor(
    private readonly commands: CommandRepository,
    private readonly states: AgentResponseStateRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly refusals: CommandRefusals,
    @Optional() private readonly metrics?: ResponseMetrics,
  ) {}

  async recordResult(agentId: string, result: CommandResult): Promise<ResultVerdict> {
    if (result.commandId.length === 0 || result.commandId.length > MAX_ID) {
      this.refusals.count('oversized_id');
      return 'ignored';
    }
    const state = outcomes.get(result.outcome);
    if (!state) {
      this.refusals.count('unknown_outcome');
      return 'ignored';
    }
    let message = result.message;
    if (message.length > MAX_RESULT_MESSAGE) {
      this.refusals.count('oversized_message');
      message = message.slice(0, MAX_RESULT_MESSAGE);
    }
    const details = this.boundedDetails(result.detailsJson);
    const now = this.clock.now();
    const verdict = await this.transactions.run(async (tx): Promise<ResultVerdict> => {
      const command = await this.commands.findById(result.commandId, tx);
      if (!command || command.agentId !== agentId || command.state === 'queued' || command.state === 'expired') {
        this.refusals.count('foreign_result');
        return 'ignored';
      }
      const from: CommandState[] = state === 'warning' ? ['sent'] : ['sent', 'warning'];
      const finishedAt = plausibleTime(result.finishedAtMs, command.issuedAt, now);
      const changed = await this.commands.transition(
        command.id,
        agentId,
        from,
        {
          state,
          resultOutcome: state,
          resultMessage: message,
          resultDetails: details,
          finishedAt: state === 'warning' ? null : finishedAt,
        },
        tx,
      );
      // A repeated or late WARNING changes nothing; acknowledged like any duplicate.
      if (!changed) return 'duplicate';
      await this.audit.append(
        {
          actor: `agent:${agentId}`,
          action: 'command.result',
          target: agentId,
          details: { commandId: command.id, action: command.actionKind, outcome: state, ok: result.ok, message },
        },
        tx,
      );
      return 'stored';
    });
    if (verdict === 'stored') this.metrics?.commandFinished(state);
    return verdict;
  }

  /** Audits a local action once per id and keeps the agent's break-glass / maintenance state. */
  async recordLocalAction(agentId: string, action: LocalAction): Promise<boolean> {
    const kind = localActionKinds.find((k) => k === action.kind);
    if (!kind || action.id.length === 0 || action.id.length > MAX_ID || action.commandId.length > MAX_ID) {
      this.refusals.count('bad_local_action');
      return false;
    }
    // The user at the workstation, as the agent's pipeline names users: a token (or an OS
    // account). A clear name is not stored; the action still is.
    const user = isTokenFieldValue('user', action.user) ? action.user : '';
    if (user !== action.user) this.refusals.count('clear_user');
    const now = this.clock.now();
    const seconds = Math.min(action.durationSeconds || DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS);
    const stored = await this.transactions.run(async (tx) => {
      const fresh = await this.states.addLocalAction(
        {
          agentId,
          id: action.id,
          kind,
          timeMs: plausibleTime(action.timeMs, now - 30 * 86_400_000, now),
          receivedAt: now,
        },
        tx,
      );
      if (!fresh) return false;
      const known = await this.states.find(agentId, tx);
      await this.states.save(nextState(known, agentId, kind, now, now + seconds * 1_000), tx);
      await this.audit.append(
        {
          actor: `agent:${agentId}`,
          action: `agent.${kind === 'undo' ? 'local_undo' : kind}`,
          target: agentId,
          details: {
            localActionId: action.id,
            user,
            reason: action.reason.slice(0, 500),
            durationSeconds: kind === 'break_glass' || kind === 'maintenance' ? seconds : undefined,
            commandId: action.commandId || undefined,
          },
        },
        tx,
      );
      return true;
    });
    if (!stored) this.refusals.count('duplicate_local_action');
    return stored;
  }

  async isUnderBreakGlass(agentId: string): Promise<boolean> {
    const until = (await this.states.find(agentId))?.breakGlassUntil ?? null;
    return until !== null && until > this.clock.now();
  }

  async isInMaintenance(agentId: string): Promise<boolean> {
    const until = (await this.states.find(agentId))?.maintenanceUntil ?? null;
    return until !== null && until > this.clock.now();
  }

  /** A JSON object of at most 8 KB, else {} (counted). */
  private boundedDetails(json: string): Record<string, unknown> {
    if (json === '') return {};
    if (Buffer.byteLength(json) > MAX_DETAILS_BYTES) {
      this.refusals.count('bad_details');
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // counted below
    }
    this.refusals.count('bad_details');
    return {};
  }
}

/** The agent's time when it lies between `earliest` and a little after now; else now. */
function plausibleTime(ms: number, earliest: number, now: number): number {
  return Number.isSafeInteger(ms) && ms >= earliest && ms <= now + 300_000 ? ms : now;
}

function nextState(
  known: AgentResponseStateEntity | null,
  agentId: string,
  kind: LocalActionKind,
  now: number,
  until: number,
): AgentResponseStateEntity {
  const state: AgentResponseStateEntity = known ?? {
    agentId,
    keyIds: [],
    breakGlassUntil: null,
    maintenanceUntil: null,
    updatedAt: now,
  };
  if (kind === 'break_glass') state.breakGlassUntil = until;
  if (kind === 'break_glass_ended') state.breakGlassUntil = null;
  if (kind === 'maintenance') state.maintenanceUntil = until;
  if (kind === 'maintenance_ended') state.maintenanceUntil = null;
  state.updatedAt = now;
  return state;
}
