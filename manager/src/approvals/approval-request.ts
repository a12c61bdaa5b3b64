// The seam between playbooks/ (which propose an action that a person must approve)
// and approvals/ (which queue it, collect the approvals and, once approved, issue it).
import type { IssueCommandRequest } from '../commands/command-issuer';

/** One action a playbook proposes; `commands` has one entry per workstation (a bulk action has several). */
export interface ApprovalProposal {
  /** Plain words: what would be done and why. */
  summary: string;
  /** The commands to issue once approved (decision.source becomes 'approval'). */
  commands: IssueCommandRequest[];
  alertId?: string;
  playbookId: string;
  playbookVersion: number;
  /** The proposal lapses (rejected as expired) when nobody decides by then. */
  expiresInSeconds: number;
  /** Why two different people must approve (bulk action, account disable), or null for one. */
  twoPersonReason: string | null;
  /**
   * Username of the person who asked for it by hand; absent when a playbook proposed it.
   * That person may not be one of the two approvers of a two-person proposal.
   */
  requestedBy?: string;
}

export interface ApprovalRequester {
  request(proposal: ApprovalProposal): Promise<{ approvalId: string }>;
}

/** Nest injection token for the ApprovalRequester that approvals/ provides. */
export const APPROVAL_REQUESTER = Symbol('ApprovalRequester');
