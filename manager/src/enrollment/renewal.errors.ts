import { DomainError } from '../common/domain-error';

/** gRPC: invalid_csr → INVALID_ARGUMENT, rate_limited → RESOURCE_EXHAUSTED, revoked → PERMISSION_DENIED. */
export type RenewalErrorCode = 'invalid_csr' | 'rate_limited' | 'revoked';

export class RenewalError extends DomainError {
  declare readonly code: RenewalErrorCode;
  constructor(code: RenewalErrorCode, message: string) {
    super(
      code,
      message,
      code === 'invalid_csr' ? 'bad_request' : code === 'rate_limited' ? 'rate_limited' : 'forbidden',
    );
  }
}
