import { DomainError, type ErrorStatus } from '../common/domain-error';

export type CommandErrorCode = 'not_found' | 'invalid_input' | 'not_undoable' | 'agent_revoked';

const statusOf: Record<CommandErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  invalid_input: 'bad_request',
  not_undoable: 'conflict',
  agent_revoked: 'conflict',
};

/** A command that cannot be issued or undone, or an unknown command or agent. */
export class CommandError extends DomainError {
  declare readonly code: CommandErrorCode;
  constructor(code: CommandErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
