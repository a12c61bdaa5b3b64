// How a matched playbook action becomes a command for the agent: its contract action,
// the warning before it, the reason the user reads, and when two people must approve.
// Pure, so each rule here is tested on its own.
import type { PlaybookAction, PlaybookActionKind, SeverityName } from '@wardwatch/shared';
import type { SuspectRecord } from '../alerts/alert.entity';
import type { CommandAction } from '../commands/command-issuer';

/** A block or an account disable lasts an hour unless the playbook says otherwise. */
export const DEFAULT_DURATION_SECONDS = 3_600;
/** The countdown before a revoke or lock when the playbook names none and the alert is not critical. */
export const DEFAULT_SESSION_WARNING_SECONDS = 60;
/** kill_process_tree without a class: the patient-data folders. */
export const DEFAULT_FOLDER_CLASS = 'phi';

/** Actions on a person's session or account: break-glass and maintenance stop them being automatic. */
export const SESSION_ACTIONS: readonly PlaybookActionKind[] = ['revoke_session', 'lock_screen', 'disable_account'];

export type BuiltAction = { ok: true; action: CommandAction } | { ok: false; reason: string };

/**
 * The contract action for a playbook action on this alert; `user` is the alert's pseudonym
 * (null or '' when none: '' is a critical score that left before its user's token came,
 * and must never become "every user"). A kill goes to the process the agent ranked first among the alert's
 * suspects (pid and start time: exactly that process, never a reused pid), and only when
 * the alert names none to every writer the agent finds in the folder class — which may
 * include a clinician's own program, so a playbook that can should rely on suspects.
 */
export function buildCommandAction(
  action: PlaybookAction,
  alertUser: string | null,
  suspects: readonly SuspectRecord[] = [],
): BuiltAction {
  const user = alertUser === '' ? null : alertUser;
  const duration = action.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  switch (action.kind) {
    case 'revoke_session':
      if (user === null) return { ok: false, reason: 'the alert names no user whose sessions to revoke' };
      return { ok: true, action: { $case: 'revokeSession', value: { user, sessionId: '' } } };
    case 'lock_screen':
      // Without a user the agent locks every graphical session of the workstation.
      return { ok: true, action: { $case: 'lockScreen', value: { user: user ?? '', sessionId: '' } } };
    case 'kill_process_tree':
      if (suspects[0])
        return {
          ok: true,
          action: {
            $case: 'killProcessTree',
            value: { pid: suspects[0].pid, startTime: suspects[0].startTime, folderClass: '' },
          },
        };
      return {
        ok: true,
        action: {
          $case: 'killProcessTree',
          value: { pid: 0, startTime: 0, folderClass: action.folderClass ?? DEFAULT_FOLDER_CLASS },
        },
      };
    case 'block_removable':
      return { ok: true, action: { $case: 'blockRemovable', value: { durationSeconds: duration } } };
    case 'disable_account':
      if (user === null) return { ok: false, reason: 'the alert names no account to disable' };
      return { ok: true, action: { $case: 'disableAccount', value: { user, durationSeconds: duration } } };
    case 'collect_diagnostics':
      return { ok: true, action: { $case: 'collectDiagnostics', value: {} } };
    case 'notify':
      return { ok: false, reason: 'notify is not a command' };
  }
}

/**
 * Seconds of warning before the action: the playbook's, else 60 s before a revoke or lock
 * so the clinician can save their work — but none when the alert is critical
 * (ransomware in progress: every second costs files). Other actions need no warning.
 */
export function warningSeconds(action: PlaybookAction, severity: SeverityName): number {
  if (action.warningSeconds !== undefined) return action.warningSeconds;
  if (action.kind !== 'revoke_session' && action.kind !== 'lock_screen') return 0;
  return severity === 'critical' ? 0 : DEFAULT_SESSION_WARNING_SECONDS;
}

/** Why two different people must approve, or null when one is enough. */
export function twoPersonReason(kind: PlaybookActionKind, workstations: number, bulkThreshold: number): string | null {
  if (kind === 'disable_account') return 'disabling an account needs two people';
  if (workstations > bulkThreshold)
    return `a bulk action on ${workstations} workstations (more than ${bulkThreshold}) needs two people`;
  return null;
}

const ACTION_WORDS: Record<PlaybookActionKind, string> = {
  revoke_session: 'end the sessions',
  lock_screen: 'lock the screen',
  kill_process_tree: 'stop the processes',
  block_removable: 'block writes to removable media',
  disable_account: 'disable the account',
  collect_diagnostics: 'collect diagnostics',
  notify: 'notify',
};

/** What the workstation's user reads: the action and the rules, never names or paths. */
export function userReason(kind: PlaybookActionKind, ruleIds: readonly string[]): string {
  const why = ruleIds.length > 0 ? ` (${ruleIds.slice(0, 4).join(', ')})` : '';
  return `Security response: WardWatch will ${ACTION_WORDS[kind]} on this workstation${why}.`.slice(0, 500);
}

/** What an approver reads. */
export function proposalSummary(
  kind: PlaybookActionKind,
  playbookName: string,
  hostname: string,
  score: number,
): string {
  return `${ACTION_WORDS[kind]} on ${hostname} (score ${score}), as playbook "${playbookName}" asks`.slice(0, 500);
}

/**
 * What makes an action new for an alert that grows: its kind, and for a kill the process
 * it targets — a new burst in the same window names a new process, which is decided again.
 */
export function decisionKey(kind: PlaybookActionKind, suspects: readonly SuspectRecord[]): string {
  if (kind !== 'kill_process_tree' || !suspects[0]) return kind;
  return `${kind}:${suspects[0].pid}:${suspects[0].startTime}`;
}
