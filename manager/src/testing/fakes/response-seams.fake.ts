// Recording fakes of the response seams (CommandIssuer, ApprovalRequester, ResponseGuardState,
// AutomaticCommandCount) for the unit tests of what decides a response.
import type { ApprovalProposal, ApprovalRequester } from '../../approvals/approval-request';
import type { CommandIssuer, IssueCommandRequest, IssuedCommand } from '../../commands/command-issuer';
import type { AutomaticCommandCount } from '../../playbooks/automatic-command-count';
import type { ResponseGuardState } from '../../playbooks/response-guard-state';

export class RecordingCommandIssuer implements CommandIssuer {
  readonly issued: IssueCommandRequest[] = [];
  /** When each of `issued` was issued, by the clock given. */
  readonly issuedAt: number[] = [];
  /** When set, every issue is refused with it. */
  failWith: Error | undefined;

  constructor(private readonly now: () => number = () => 0) {}

  issue(request: IssueCommandRequest): Promise<IssuedCommand> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.issued.push(request);
    this.issuedAt.push(this.now());
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

/** Counts the automatic commands a RecordingCommandIssuer issued, as commands/ counts its table. */
export class RecordedAutomaticCount implements AutomaticCommandCount {
  constructor(
    private readonly issuer: RecordingCommandIssuer,
    private readonly unitOf: (agentId: string) => string | null,
  ) {}

  automaticSince(sinceMs: number, unit: string | null): Promise<{ fleet: number; unit: number }> {
    const recent = this.issuer.issued.filter((c, i) => c.automatic && this.issuer.issuedAt[i] >= sinceMs);
    const inUnit = unit === null ? [] : recent.filter((c) => this.unitOf(c.agentId) === unit);
    return Promise.resolve({ fleet: recent.length, unit: inUnit.length });
  }
}
