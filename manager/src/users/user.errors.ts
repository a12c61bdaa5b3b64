import { DomainError, type ErrorStatus } from '../common/domain-error';

export type UserErrorCode = 'not_found' | 'invalid_input';

const statusOf: Record<UserErrorCode, ErrorStatus> = { not_found: 'not_found', invalid_input: 'bad_request' };

/** A user change an admin may not make (taken name, own account, last admin) or an unknown user. */
export class UserError extends DomainError {
  declare readonly code: UserErrorCode;
  constructor(code: UserErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
