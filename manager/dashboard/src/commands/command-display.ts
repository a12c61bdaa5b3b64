// Plain words for a command's row on the Actions page. Pure, so it is unit-tested; every
// string that came from an agent (its result message, its details) is returned as data
// for React to render as text.
import { AttackExtension, type CommandActionKind, type CommandStateName, type CommandView } from '@wardwatch/shared';

export const actionNames: Record<CommandActionKind, string> = {
  revokeSession: 'End sessions',
  lockScreen: 'Lock screen',
  killProcessTree: 'Stop process tree',
  blockRemovable: 'Block removable media',
  disableAccount: 'Disable account',
  collectDiagnostics: 'Collect diagnostics',
  undo: 'Undo',
  rotateCommandKey: 'Rotate command key',
  restoreFiles: 'Restore files',
};

/** Badge tone per state: waiting, done well, went wrong, held back. */
export function stateTone(state: CommandStateName): 'wait' | 'ok' | 'bad' | 'held' {
  switch (state) {
    case 'queued':
    case 'sent':
    case 'warning':
      return 'wait';
    case 'done':
    case 'dry_run':
      return 'ok';
    case 'failed':
    case 'refused':
    case 'expired':
      return 'bad';
    case 'deferred':
      return 'held';
  }
}

export function stateText(state: CommandStateName): string {
  return state === 'dry_run' ? 'dry run' : state;
}

/** The action and its target in a few words, e.g. "Lock screen · user u_12ab". */
export function actionText(command: CommandView): string {
  const name = actionNames[command.actionKind];
  const a = command.action;
  const extra = command.dryRun ? ' (dry run)' : '';
  if (command.actionKind === 'restoreFiles') return `${name} · ${restoreTarget(a)}${extra}`;
  const parts: string[] = [];
  if (typeof a.user === 'string' && a.user !== '') parts.push(`user ${a.user}`);
  if (typeof a.pid === 'number' && a.pid > 0) parts.push(`pid ${a.pid}`);
  if (typeof a.folderClass === 'string' && a.folderClass !== '') parts.push(`writers in ${a.folderClass}`);
  if (typeof a.durationSeconds === 'number' && a.durationSeconds > 0) parts.push(`for ${minutes(a.durationSeconds)}`);
  if (typeof a.commandId === 'string' && a.commandId !== '') parts.push(`of ${a.commandId.slice(0, 8)}`);
  return parts.length > 0 ? `${name} · ${parts.join(', ')}${extra}` : `${name}${extra}`;
}

/** "phi changed since 2026-12-02 08:31, removing new .locked files". */
function restoreTarget(a: Record<string, unknown>): string {
  const folderClass = typeof a.folderClass === 'string' ? a.folderClass : '?';
  const since = Number(a.sinceMs);
  const when = Number.isFinite(since) ? new Date(since).toISOString().slice(0, 16).replace('T', ' ') : '?';
  const extensions = Array.isArray(a.removeCreatedExtensions) ? a.removeCreatedExtensions.map(String) : [];
  const removing = extensions.length > 0 ? `, removing new ${extensions.join(' ')} files` : '';
  return `${folderClass} changed since ${when} UTC${removing}`;
}

/**
 * The restore_files action from the Actions form: a UTC time as `datetime-local` gives it
 * ("2026-12-02T08:31") and extensions separated by spaces or commas; or why not.
 */
export function restoreAction(
  sinceUtc: string,
  extensions: string,
  folderClass = 'phi',
): { kind: 'restoreFiles'; folderClass: string; sinceMs: number; removeCreatedExtensions: string[] } | string {
  const sinceMs = Date.parse(`${sinceUtc}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(sinceUtc) || !Number.isFinite(sinceMs))
    return 'Give the time of the first damaged file.';
  const list = extensions.split(/[\s,]+/).filter((e) => e !== '');
  const bad = list.find((e) => !AttackExtension.safeParse(e).success);
  if (bad !== undefined) return `Not an extension with its dot: ${bad}`;
  if (list.length > 16) return 'At most 16 extensions.';
  return { kind: 'restoreFiles', folderClass, sinceMs, removeCreatedExtensions: list };
}

/** Who or what decided it. */
export function decidedBy(command: CommandView): string {
  const d = command.decision;
  switch (d.source) {
    case 'user':
      return d.actorId ? `${d.actorId}` : 'a person';
    case 'approval':
      return `playbook ${d.playbookId ?? '?'}, approved by ${d.actorId ?? 'a person'}`;
    case 'playbook':
      return `playbook ${d.playbookId ?? '?'}${d.playbookVersion !== undefined ? ` v${d.playbookVersion}` : ''} (automatic)`;
  }
}

/** The agent's result in one line, or what the command waits for. */
export function resultText(command: CommandView): string {
  if (command.result) return command.result.message || command.result.outcome;
  if (command.state === 'queued') return 'waiting for the agent to connect';
  if (command.state === 'sent') return 'sent; waiting for the result';
  if (command.state === 'expired') return 'not taken by the agent before it expired';
  return '';
}

function minutes(seconds: number): string {
  return seconds >= 3_600 ? `${Math.round(seconds / 360) / 10} h` : `${Math.max(1, Math.round(seconds / 60))} min`;
}
