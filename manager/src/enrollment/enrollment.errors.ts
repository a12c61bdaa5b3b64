import { DomainError } from '../common/domain-error';

/** gRPC answers invalid_token with UNAUTHENTICATED and invalid_csr with INVALID_ARGUMENT. */
export type EnrollmentErrorCode = 'invalid_token' | 'invalid_csr';

export class EnrollmentError extends DomainError {
  declare readonly code: EnrollmentErrorCode;
  constructor(code: EnrollmentErrorCode, message: string) {
    super(code, message, 'bad_request');
  }
}
