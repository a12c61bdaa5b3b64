// Recording fakes of the response seams (CommandIssuer, ApprovalRequester, ResponseGuardState)
// and of the caps' slots for the unit tests of what decides a response. The slots' atomicity
// across managers is tested on real databases (auto-action-slot.repository.db.test.ts).
import type { ApprovalProposal, ApprovalRequester } from '../../approvals/approval-request';
import type { CommandIssuer, IssueCommandRequest, IssuedCommand } from '../../commands/command-issuer';
import type { CapLimits, CapVerdict } from '../../playbooks/auto-action-caps';
import type { AutoActionSlotRepository } from '../../playbooks/auto-action-slot.repository';
import type { Public } from './fakes';
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

/** The caps' slots in memory: one decision at a time in a unit test needs no lock. */
export class InMemoryAutoActionSlots implements Public<AutoActionSlotRepository> {
  readonly slots: { unit: string | null; t: number }[] = [];

  take(unit: string | null, nowMs: number, sinceMs: number, limits: CapLimits): Promise<CapVerdict> {
    const recent = this.slots.filter((s) => s.t >= sinceMs);
    if (recent.length >= limits.perMinute) return Promise.resolve({ ok: false, cap: 'fleet' });
    if (unit !== null && recent.filter((s) => s.unit === unit).length >= limits.perUnitPerMinute)
      return Promise.resolve({ ok: false, cap: 'unit' });
    this.slots.push({ unit, t: nowMs });
    return Promise.resolve({ ok: true });
  }

  pruneBefore(cutoffMs: number): Promise<number> {
    const before = this.slots.length;
    this.slots.splice(0, this.slots.length, ...this.slots.filter((s) => s.t >= cutoffMs));
    return Promise.resolve(before - this.slots.length);
  }

  count(): Promise<number> {
    return Promise.resolve(this.slots.length);
  }
}
