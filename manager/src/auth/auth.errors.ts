import { DomainError, type ErrorStatus } from '../common/domain-error';

export type AuthErrorCode = 'unauthenticated' | 'forbidden' | 'rate_limited';

const statusOf: Record<AuthErrorCode, ErrorStatus> = {
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  rate_limited: 'rate_limited',
};

/** A refused sign-in or password change. */
export class AuthError extends DomainError {
  declare readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string, retryAfterMs?: number) {
    super(code, message, statusOf[code], retryAfterMs);
  }
}
