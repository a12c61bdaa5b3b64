import { DomainError } from '../common/domain-error';

/** gRPC answers invalid_token with UNAUTHENTICATED and invalid_csr with INVALID_ARGUMENT. */
export type EnrollmentErrorCode = 'invalid_token' | 'invalid_csr';

export class EnrollmentError extends DomainError {
  declare readonly code: EnrollmentErrorCode;
  constructor(code: EnrollmentErrorCode, message: string) {
    super(code, message, 'bad_request');
  }
}

/** An admin's request about a token that cannot be met (unknown, or used already). */
export class EnrollmentTokenError extends DomainError {
  declare readonly code: 'token_not_found' | 'token_used';
  constructor(code: 'token_not_found' | 'token_used', message: string) {
    super(code, message, code === 'token_not_found' ? 'not_found' : 'conflict');
  }
}
