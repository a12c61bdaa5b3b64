import { DomainError } from '../common/domain-error';

export type ForwardingErrorCode = 'not_found';

export class ForwardingError extends DomainError {
  declare readonly code: ForwardingErrorCode;
  constructor(code: ForwardingErrorCode, message: string) {
    super(code, message, 'not_found');
  }
}
