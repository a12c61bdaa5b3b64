import type { ApprovalView } from '@wardwatch/shared';
import type { ApprovalEntity } from './approval.entity';

/** Two people must approve a proposal with a two-person reason, one any other. */
export function approvalsRequired(approval: Pick<ApprovalEntity, 'twoPersonReason'>): number {
  return approval.twoPersonReason === null ? 1 : 2;
}

export function toApprovalView(a: ApprovalEntity): ApprovalView {
  return {
    id: a.id,
    summary: a.summary,
    state: a.state,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    alertId: a.alertId,
    playbookId: a.playbookId,
    playbookVersion: a.playbookVersion,
    twoPersonReason: a.twoPersonReason,
    approvalsRequired: approvalsRequired(a),
    requestedBy: a.requestedBy,
    targets: a.commands.map((c) => ({ agentId: c.agentId, action: c.action.$case, dryRun: c.dryRun })),
    approvals: a.approvals,
    rejection: a.rejection,
    issueState: a.issueState,
    commandIds: a.commandIds,
    issueError: a.issueError,
  };
}
