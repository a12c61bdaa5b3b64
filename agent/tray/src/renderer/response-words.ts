// The words and times of the Response section, pure so the node tests can check
// them. Kept in the renderer (which may import only types from outside its
// folder); main's notification (response/warning-notifier.ts) uses the same words.
import type { ResponseActionKind, ResponseActionState } from '@wardwatch/shared';

/** What an action does, as a row's name. */
export const ACTION_NAMES: Record<ResponseActionKind, string> = {
  revoke_session: 'Sign the session out',
  lock_screen: 'Lock the screen',
  kill_process_tree: 'Stop a program',
  block_removable: 'Block removable drives',
  disable_account: 'Disable an account',
  collect_diagnostics: 'Collect diagnostics',
  undo: 'Undo an action',
  rotate_command_key: 'Change the command key',
  restore_files: 'Restore damaged files',
};

/** What happens when a warning's countdown ends, completing "Save your work: …". */
export const WHAT_HAPPENS: Record<ResponseActionKind, string> = {
  lock_screen: 'this session will be locked',
  revoke_session: 'this session will be signed out',
  kill_process_tree: 'a program will be stopped',
  block_removable: 'removable drives will be blocked',
  disable_account: 'this account will be disabled',
  collect_diagnostics: 'diagnostics will be collected',
  undo: 'an action will be undone',
  rotate_command_key: 'a key will be changed',
  restore_files: 'damaged files will be put back',
};

export const STATE_NAMES: Record<ResponseActionState, string> = {
  warning: 'pending (warning shown)',
  done: 'done',
  failed: 'failed',
  refused: 'refused',
  deferred: 'deferred',
  dry_run: 'dry run (not carried out)',
  undone: 'undone',
};

/** m:ss, rounded up, never negative: "0:42". */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1_000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The local time of day as HH:MM (24 h, whatever the locale): "14:05". */
export function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** "Save your work: this session will be locked in 0:42". */
export function warningText(kind: ResponseActionKind, runsAt: number, now: number): string {
  return `Save your work: ${WHAT_HAPPENS[kind]} in ${formatCountdown(runsAt - now)}`;
}
