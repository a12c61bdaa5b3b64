import { DomainError, type ErrorStatus } from '../common/domain-error';

export type PseudonymOracleErrorCode = 'batch_too_large' | 'bad_element' | 'rate_limited' | 'not_in_oprf_mode';

const statuses: Record<PseudonymOracleErrorCode, ErrorStatus> = {
  batch_too_large: 'bad_request',
  bad_element: 'bad_request',
  rate_limited: 'rate_limited',
  not_in_oprf_mode: 'forbidden',
};

export class PseudonymOracleError extends DomainError {
  constructor(code: PseudonymOracleErrorCode, message: string, retryAfterMs?: number) {
    super(code, message, statuses[code], retryAfterMs);
  }
}
