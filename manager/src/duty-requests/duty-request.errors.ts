import { DomainError, type ErrorStatus } from '../common/domain-error';

export type DutyRequestErrorCode =
  | 'not_found'
  | 'second_person_required'
  | 'not_pending'
  | 'expired'
  | 'approval_required'
  | 'not_usable'
  | 'does_not_match'
  | 'stale';

const statusOf: Record<DutyRequestErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  second_person_required: 'forbidden',
  not_pending: 'conflict',
  expired: 'conflict',
  approval_required: 'forbidden',
  not_usable: 'conflict',
  does_not_match: 'forbidden',
  stale: 'conflict',
};

/** A request that cannot be decided or used as asked (always audited before it is thrown). */
export class DutyRequestError extends DomainError {
  declare readonly code: DutyRequestErrorCode;
  constructor(code: DutyRequestErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
