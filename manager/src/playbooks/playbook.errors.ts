import { DomainError, type ErrorStatus } from '../common/domain-error';

export type PlaybookErrorCode = 'not_found' | 'version_conflict' | 'too_many';

const STATUS: Record<PlaybookErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  version_conflict: 'conflict',
  too_many: 'conflict',
};

export class PlaybookError extends DomainError {
  declare readonly code: PlaybookErrorCode;
  constructor(code: PlaybookErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
