import { DomainError, type ErrorStatus } from '../common/domain-error';

export type ReidentificationErrorCode = 'rate_limited' | 'invalid_input';

const statusOf: Record<ReidentificationErrorCode, ErrorStatus> = {
  rate_limited: 'rate_limited',
  invalid_input: 'bad_request',
};

/** A refused re-identification request (always audited before it is thrown). */
export class ReidentificationError extends DomainError {
  declare readonly code: ReidentificationErrorCode;
  constructor(code: ReidentificationErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
