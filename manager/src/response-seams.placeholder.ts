// Stand-ins for the response seams until commands/ and approvals/ are merged: they let
// the manager start with playbooks/ and say plainly that nothing can be sent. Each
// call is refused with a clear error (the playbook decision is audited as failed) and
// logged. The break-glass state is unknown here, so it reads as "protected": an
// automatic revoke or lock would ask a person instead. REPLACE at merge with the
// providers of CommandsModule / ApprovalsModule (see the playbooks report).
import { Global, Module } from '@nestjs/common';
import { APPROVAL_REQUESTER, type ApprovalRequester } from './approvals/approval-request';
import { COMMAND_ISSUER, type CommandIssuer } from './commands/command-issuer';
import { JsonLogger } from './logging/json-logger';
import { RESPONSE_GUARD_STATE, type ResponseGuardState } from './playbooks/response-guard-state';

const UNAVAILABLE = 'response commands not available in this build';

function unavailable(logger: JsonLogger, what: string): never {
  logger.child('response').warn(UNAVAILABLE, { refused: what });
  throw new Error(UNAVAILABLE);
}

@Global()
@Module({
  providers: [
    {
      provide: COMMAND_ISSUER,
      useFactory: (logger: JsonLogger): CommandIssuer => ({
        issue: () => Promise.resolve().then(() => unavailable(logger, 'command')),
      }),
      inject: [JsonLogger],
    },
    {
      provide: APPROVAL_REQUESTER,
      useFactory: (logger: JsonLogger): ApprovalRequester => ({
        request: () => Promise.resolve().then(() => unavailable(logger, 'approval request')),
      }),
      inject: [JsonLogger],
    },
    {
      provide: RESPONSE_GUARD_STATE,
      useValue: { isUnderBreakGlass: () => true, isInMaintenance: () => true } satisfies ResponseGuardState,
    },
  ],
  exports: [COMMAND_ISSUER, APPROVAL_REQUESTER, RESPONSE_GUARD_STATE],
})
export class ResponseSeamsPlaceholderModule {}
