// Joins the deciders to the senders of responses without the features importing each
// other's internals: playbooks/ asks for COMMAND_ISSUER (commands/), APPROVAL_REQUESTER
// (approvals/) and RESPONSE_GUARD_STATE (commands/ knows each agent's break-glass and
// maintenance from its LocalActions). Tests may give their own recording issuer.
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APPROVAL_REQUESTER } from './approvals/approval-request';
import { ApprovalService } from './approvals/approval.service';
import { ApprovalsModule } from './approvals/approvals.module';
import { AgentReportsService } from './commands/agent-reports.service';
import { COMMAND_ISSUER, type CommandIssuer } from './commands/command-issuer';
import { CommandsModule } from './commands/commands.module';
import { CommandsService } from './commands/commands.service';
import { RESPONSE_GUARD_STATE } from './playbooks/response-guard-state';

@Global()
@Module({})
export class ResponseWiringModule {
  static register(commandIssuer?: CommandIssuer): DynamicModule {
    const providers: Provider[] = [
      commandIssuer
        ? { provide: COMMAND_ISSUER, useValue: commandIssuer }
        : { provide: COMMAND_ISSUER, useExisting: CommandsService },
      { provide: APPROVAL_REQUESTER, useExisting: ApprovalService },
      { provide: RESPONSE_GUARD_STATE, useExisting: AgentReportsService },
    ];
    return {
      module: ResponseWiringModule,
      imports: [CommandsModule, ApprovalsModule.register(commandIssuer)],
      providers,
      exports: [COMMAND_ISSUER, APPROVAL_REQUESTER, RESPONSE_GUARD_STATE],
    };
  }
}
