// Recording fakes of the response seams (CommandIssuer, ApprovalRequester, ResponseGuardState)
// for the unit tests of what decides a response.
import type { ApprovalProposal, ApprovalRequester } from '../../approvals/approval-request';
import type { CommandIssuer, IssueCommandRequest, IssuedCommand } from '../../commands/command-issuer';
import type { ResponseGuardState } from '../../playbooks/response-guard-state';

export class RecordingCommandIssuer implements CommandIssuer {
  readonly issued: IssueCommandRequest[] = [];
  /** When set, every issue is refused with it. */
  failWith: Error | undefined;

  issue(request: IssueCommandRequest): Promise<IssuedCommand> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.issued.push(request);
    return Promise.resolve({ commandId: `cmd-${this.issued.length}`, state: 'sent' });
  }
}

export class RecordingApprovalRequester implements ApprovalRequester {
  readonly proposals: ApprovalProposal[] = [];

  request(proposal: ApprovalProposal): Promise<{ approvalId: string }> {
    this.proposals.push(proposal);
    return Promise.resolve({ approvalId: `approval-${this.proposals.length}` });
  }
}

export class FakeResponseGuardState implements ResponseGuardState {
  readonly breakGlass = new Set<string>();
  readonly maintenance = new Set<string>();

  isUnderBreakGlass(agentId: string): boolean {
    return this.breakGlass.has(agentId);
  }
  isInMaintenance(agentId: string): boolean {
    return this.maintenance.has(agentId);
  }
}
