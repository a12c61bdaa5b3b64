import { DomainError } from '../common/domain-error';

export type AgentErrorCode = 'not_found';

export class AgentError extends DomainError {
  declare readonly code: AgentErrorCode;
  constructor(code: AgentErrorCode, message: string) {
    super(code, message, 'not_found');
  }
}
