// Plain text for the approvals page: progress, countdown, what each target gets, and
// whether the signed-in user may decide (the manager decides again and refuses otherwise).
import { hasPermission, type ApprovalView, type CurrentUser } from '@wardwatch/shared';

/** "1 of 2 approvals", "0 of 1 approval". */
export function progressText(approval: Pick<ApprovalView, 'approvals' | 'approvalsRequired'>): string {
  const of = approval.approvalsRequired;
  return `${approval.approvals.length} of ${of} approval${of === 1 ? '' : 's'}`;
}

/** Pending ones per page: each is one more call for its alert. */
export const PENDING_PAGE_SIZE = 20;
export const DECIDED_PAGE_SIZE = 50;

/** "3 pending" on a single page; "20 pending on page 2, more on the next" when paged. */
export function pendingCountText(count: number, page: number, more: boolean): string {
  if (page === 1 && !more) return `${count} pending`;
  return `${count} pending on page ${page}${more ? ', more on the next' : ''}`;
}

/** Countdown to the expiry: "expires in 4 min 05 s", "expires in 2 h 10 min", "expired". */
export function expiryText(expiresAt: number, now: number): string {
  const left = Math.floor((expiresAt - now) / 1000);
  if (left <= 0) return 'expired';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  if (h > 0) return `expires in ${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `expires in ${m} min ${String(s).padStart(2, '0')} s`;
  return `expires in ${s} s`;
}

const actionNames: Record<string, string> = {
  revokeSession: 'revoke session',
  lockScreen: 'lock screen',
  killProcessTree: 'kill process tree',
  blockRemovable: 'block removable media',
  disableAccount: 'disable account',
  collectDiagnostics: 'collect diagnostics',
  undo: 'undo',
  rotateCommandKey: 'rotate command key',
  restoreFiles: 'restore files',
};

export function actionText(action: string, dryRun: boolean): string {
  const name = actionNames[action] ?? action;
  return dryRun ? `${name} (dry run)` : name;
}

/** Why the user may not approve it, or undefined when they may. */
export function approveRefusal(approval: ApprovalView, user: CurrentUser): string | undefined {
  if (!hasPermission(user.role, 'response:approve')) return 'your role may not approve responses';
  if (approval.approvals.some((a) => a.by === user.username)) return 'you approved it; a second person must approve';
  if (approval.approvalsRequired === 2 && approval.requestedBy === user.username) {
    return 'you requested it; two other people must approve';
  }
  return undefined;
}

/** What became of a decided proposal, in one line. */
export function outcomeText(approval: ApprovalView): string {
  switch (approval.state) {
    case 'rejected':
      return `rejected by ${approval.rejection?.by ?? 'someone'}: ${approval.rejection?.comment ?? ''}`;
    case 'expired':
      return 'expired undecided';
    case 'pending':
      return progressText(approval);
    case 'approved': {
      const by = `approved by ${approval.approvals.map((a) => a.by).join(' and ')}`;
      const n = approval.commandIds.length;
      if (approval.issueState === 'issued') return `${by}; ${n} command${n === 1 ? '' : 's'} issued`;
      if (approval.issueState === 'failed') {
        return `${by}; issuing failed after ${n} command${n === 1 ? '' : 's'}: ${approval.issueError ?? 'unknown error'}`;
      }
      return `${by}; issuing commands…`;
    }
  }
}
