// Small pure helpers: the CommandResult for an outcome, and the tray's view names.
import { CommandOutcome, type CommandResult } from '@wardwatch/proto';
import type { ResponseActionKind, ResponseActionState } from '@wardwatch/shared/agent';
import type { ActionCase } from './guard/guard-rules';

/** The manager bounds details itself; the agent keeps them small anyway. */
export const MAX_DETAILS_CHARS = 16_000;

export function commandResult(
  commandId: string,
  outcome: CommandOutcome,
  message: string,
  finishedAtMs: number,
  details: Record<string, unknown> = {},
): CommandResult {
  let detailsJson = Object.keys(details).length > 0 ? JSON.stringify(details) : '';
  if (detailsJson.length > MAX_DETAILS_CHARS)
    detailsJson = JSON.stringify({ truncated: true, chars: detailsJson.length });
  return {
    commandId,
    ok: outcome === CommandOutcome.COMMAND_OUTCOME_DONE || outcome === CommandOutcome.COMMAND_OUTCOME_DRY_RUN,
    message: message.slice(0, 500),
    outcome,
    finishedAtMs,
    detailsJson,
  };
}

const KINDS: Record<ActionCase, ResponseActionKind> = {
  revokeSession: 'revoke_session',
  lockScreen: 'lock_screen',
  killProcessTree: 'kill_process_tree',
  blockRemovable: 'block_removable',
  disableAccount: 'disable_account',
  collectDiagnostics: 'collect_diagnostics',
  undo: 'undo',
  rotateCommandKey: 'rotate_command_key',
  restoreFiles: 'restore_files',
};

export function actionKind(action: ActionCase): ResponseActionKind {
  return KINDS[action];
}

export function stateOf(outcome: CommandOutcome): ResponseActionState {
  switch (outcome) {
    case CommandOutcome.COMMAND_OUTCOME_DONE:
      return 'done';
    case CommandOutcome.COMMAND_OUTCOME_REFUSED:
      return 'refused';
    case CommandOutcome.COMMAND_OUTCOME_DEFERRED:
      return 'deferred';
    case CommandOutcome.COMMAND_OUTCOME_DRY_RUN:
      return 'dry_run';
    case CommandOutcome.COMMAND_OUTCOME_WARNING:
      return 'warning';
    default:
      return 'failed';
  }
}
