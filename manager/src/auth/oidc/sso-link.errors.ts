import { DomainError, type ErrorStatus } from '../../common/domain-error';

export type SsoLinkErrorCode = 'not_found' | 'conflict';

const statusOf: Record<SsoLinkErrorCode, ErrorStatus> = { not_found: 'not_found', conflict: 'conflict' };

/** An unknown user or link, or a provider identity already linked. */
export class SsoLinkError extends DomainError {
  declare readonly code: SsoLinkErrorCode;
  constructor(code: SsoLinkErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
