import { DomainError, type ErrorStatus } from '../common/domain-error';

export type ApprovalErrorCode = 'not_found' | 'invalid_input' | 'already_decided' | 'expired' | 'not_allowed_approver';

const statusOf: Record<ApprovalErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  invalid_input: 'bad_request',
  already_decided: 'conflict',
  expired: 'conflict',
  // The same person twice, or the requester of a two-person proposal: the proposal's rule refuses it.
  not_allowed_approver: 'conflict',
};

/** A proposal that is unknown, malformed, already decided or expired, or an approver its rule refuses. */
export class ApprovalError extends DomainError {
  declare readonly code: ApprovalErrorCode;
  constructor(code: ApprovalErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
