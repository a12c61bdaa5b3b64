import { DomainError, type ErrorStatus } from '../../common/domain-error';

export type MfaErrorCode =
  | 'mfa_code_rejected'
  | 'mfa_sign_in_expired'
  | 'mfa_already_enabled'
  | 'mfa_not_enrolled'
  | 'mfa_reset_own'
  | 'user_not_found'
  | 'account_disabled'
  | 'rate_limited'
  | 'security_key_rejected'
  | 'security_key_not_found'
  | 'security_key_exists'
  | 'security_keys_unavailable';

const statusOf: Record<MfaErrorCode, ErrorStatus> = {
  // A wrong code inside a session is 403, not 401: the session itself is fine.
  mfa_code_rejected: 'forbidden',
  mfa_sign_in_expired: 'unauthenticated',
  mfa_already_enabled: 'conflict',
  mfa_not_enrolled: 'conflict',
  mfa_reset_own: 'forbidden',
  user_not_found: 'not_found',
  account_disabled: 'forbidden',
  rate_limited: 'rate_limited',
  security_key_rejected: 'forbidden',
  security_key_not_found: 'not_found',
  security_key_exists: 'conflict',
  security_keys_unavailable: 'conflict',
};

/** A refused step of enrolment, sign-in or reset of a second factor. */
export class MfaError extends DomainError {
  declare readonly code: MfaErrorCode;
  constructor(code: MfaErrorCode, message: string, options: { status?: ErrorStatus; retryAfterMs?: number } = {}) {
    super(code, message, options.status ?? statusOf[code], options.retryAfterMs);
  }
}
