import { DomainError, type ErrorStatus } from '../common/domain-error';

export type AlertTriageErrorCode =
  'not_found' | 'stale_revision' | 'invalid_transition' | 'unknown_assignee' | 'too_many_comments';

const statusOf: Record<AlertTriageErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  // Someone else changed the alert since the caller read it: reload, then decide again.
  stale_revision: 'conflict',
  // The alert's status does not allow it (acknowledging a closed alert, closing it twice).
  invalid_transition: 'conflict',
  unknown_assignee: 'bad_request',
  too_many_comments: 'conflict',
};

/** A triage change refused: unknown alert, a stale revision, a step its status forbids, an assignee who cannot triage. */
export class AlertTriageError extends DomainError {
  declare readonly code: AlertTriageErrorCode;
  constructor(code: AlertTriageErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
