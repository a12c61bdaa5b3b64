import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditModule } from '../audit/audit.module';
import { COMMAND_ISSUER, type CommandIssuer } from '../commands/command-issuer';
import { ApprovalExpiryJob } from './approval-expiry.job';
import { APPROVAL_REQUESTER } from './approval-request';
import { ApprovalRepository } from './approval.repository';
import { ApprovalService } from './approval.service';
import { ApprovalsController } from './approvals.controller';
import { CommandsModule } from '../commands/commands.module';

/**
 * The approvals queue: provides APPROVAL_REQUESTER (for playbooks/), the REST routes and the
 * expiry job. Approved commands go out through COMMAND_ISSUER: commands/'s, or the given
 * issuer (tests pass a recording one).
 */
@Module({})
export class ApprovalsModule {
  static register(commandIssuer?: CommandIssuer): DynamicModule {
    return {
      module: ApprovalsModule,
      imports: [AuditModule, AlertsModule, CommandsModule],
      controllers: [ApprovalsController],
      providers: [
        ApprovalRepository,
        ApprovalService,
        ApprovalExpiryJob,
        ...(commandIssuer ? [{ provide: COMMAND_ISSUER, useValue: commandIssuer }] : []),
        { provide: APPROVAL_REQUESTER, useExisting: ApprovalService },
      ],
      exports: [APPROVAL_REQUESTER, ApprovalService, ApprovalExpiryJob],
    };
  }
}
