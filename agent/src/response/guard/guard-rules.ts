// Which commands the guard lets through now, and which it defers (and why).
//
// Decision (issue #8, item 5), kept explicit here:
// - Maintenance mode defers EVERY automatic action command (IT staff are at work on the
//   workstation). Undo and key rotation are never deferred: they restore or only
//   change what the agent trusts.
// - Break-glass (a clinician's emergency access) defers automatic revoke_session,
//   lock_screen and disable_account: those would interrupt the clinician. An automatic
//   kill_process_tree or block_removable still runs: it does not end the session,
//   and stopping ransomware protects the same patients. collect_diagnostics runs too.
// - restore_files is issued by a person only (no playbook has it); were one automatic,
//   maintenance mode would defer it like any other.
// - A command a person approved (automatic = false) is never deferred by either.
// - The local cap counts automatic action commands that would run; beyond it: deferred.
import type { CommandAction } from '../verify-command';

export type ActionCase = CommandAction['$case'];

const BREAK_GLASS_DEFERS: ReadonlySet<ActionCase> = new Set(['revokeSession', 'lockScreen', 'disableAccount']);
const NEVER_DEFERRED: ReadonlySet<ActionCase> = new Set(['undo', 'rotateCommandKey']);

export interface GuardSituation {
  breakGlassSince: number | null;
  maintenance: boolean;
}

/** null: may run (subject to the cap); otherwise the reason it is deferred. */
export function deferralReason(action: ActionCase, automatic: boolean, situation: GuardSituation): string | null {
  if (!automatic || NEVER_DEFERRED.has(action)) return null;
  if (situation.maintenance) return 'maintenance mode on this workstation';
  if (situation.breakGlassSince !== null && BREAK_GLASS_DEFERS.has(action))
    return `break-glass declared at ${hhmm(situation.breakGlassSince)}`;
  return null;
}

/** Counted by the local cap: automatic commands that change something. */
export function countsTowardCap(action: ActionCase, automatic: boolean): boolean {
  return automatic && !NEVER_DEFERRED.has(action) && action !== 'collectDiagnostics';
}

function hhmm(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
