import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditModule } from '../audit/audit.module';
import { COMMAND_ISSUER, type CommandIssuer } from '../commands/command-issuer';
import { ApprovalExpiryJob } from './approval-expiry.job';
import { APPROVAL_REQUESTER } from './approval-request';
import { ApprovalRepository } from './approval.repository';
import { ApprovalService } from './approval.service';
import { ApprovalsController } from './approvals.controller';
import { UnavailableCommandIssuer } from './unavailable-command-issuer';

/**
 * The approvals queue: provides APPROVAL_REQUESTER (for playbooks/), the REST routes and the
 * expiry job. Approved commands go out through COMMAND_ISSUER: the given issuer (tests pass a
 * recording one), else — until commands/ is wired here — a placeholder that refuses, so an
 * approved proposal is marked `failed` ("response commands not available in this build").
 */
@Module({})
export class ApprovalsModule {
  static register(commandIssuer?: CommandIssuer): DynamicModule {
    return {
      module: ApprovalsModule,
      imports: [AuditModule, AlertsModule],
      controllers: [ApprovalsController],
      providers: [
        ApprovalRepository,
        ApprovalService,
        ApprovalExpiryJob,
        { provide: COMMAND_ISSUER, useValue: commandIssuer ?? new UnavailableCommandIssuer() },
        { provide: APPROVAL_REQUESTER, useExisting: ApprovalService },
      ],
      exports: [APPROVAL_REQUESTER, ApprovalService, ApprovalExpiryJob],
    };
  }
}
