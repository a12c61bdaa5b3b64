// A second admin approves or denies a pending grant of admin or privacy officer
// (users.service.ts opens them). The approver is neither the admin who asked nor the
// account concerned (duty-requests/). The grant takes effect in the approving
// transaction, and only over the account as it was asked about: a role changed or an
// account gone meanwhile makes the grant stale (refused, audited).
import { Injectable } from '@nestjs/common';
import type { DutyRequestState, DutyRequestView, RoleGrantDetails } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { AccountService } from '../auth/account.service';
import type { Tx } from '../database/transaction.runner';
import type { DutyRequestEntity } from '../duty-requests/duty-request.entity';
import { DutyRequestError } from '../duty-requests/duty-request.errors';
import { DutyRequestService, type Decision } from '../duty-requests/duty-request.service';

@Injectable()
export class RoleGrantsService {
  constructor(
    private readonly duties: DutyRequestService,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
  ) {}

  list(state?: DutyRequestState): Promise<DutyRequestView[]> {
    return this.duties.list('role_grant', state);
  }

  async decide(id: string, actor: string, decision: Decision, reason?: string): Promise<DutyRequestView> {
    let changedRoleOf: string | undefined;
    const view = await this.duties.decide('role_grant', id, actor, decision, reason, async (request, tx) => {
      changedRoleOf = await this.apply(request, actor, tx);
    });
    if (changedRoleOf) this.accounts.sessionsEnded(changedRoleOf, 'role_change');
    return view;
  }

  /** Returns the id of an account whose role changed (its sessions ended). */
  private async apply(request: DutyRequestEntity, actor: string, tx: Tx): Promise<string | undefined> {
    const grant = request.details as RoleGrantDetails;
    const user = await this.accounts.findById(grant.userId, tx);
    if (!user) throw new DutyRequestError('stale', 'the account no longer exists');
    const approval = { grantId: request.id, requestedBy: request.requestedBy, approvedBy: actor };
    if (grant.from === null) {
      // Created for this role and disabled since its creation, never used.
      if (user.role !== grant.to || user.disabledAt !== user.createdAt) {
        throw new DutyRequestError('stale', 'the account changed since the grant was asked for');
      }
      await this.accounts.enable(user.id, tx);
      await this.audit.append(
        { actor, action: 'user.enable', target: user.username, details: { id: user.id, role: user.role, ...approval } },
        tx,
      );
      return undefined;
    }
    if (user.role !== grant.from || user.disabledAt !== null) {
      throw new DutyRequestError('stale', 'the account changed since the grant was asked for');
    }
    const sessionsEnded = await this.accounts.changeRole(user.id, grant.to, tx);
    await this.audit.append(
      {
        actor,
        action: 'user.role_change',
        target: user.username,
        details: { id: user.id, from: grant.from, to: grant.to, sessionsEnded, ...approval },
      },
      tx,
    );
    return user.id;
  }
}
