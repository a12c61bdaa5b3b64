// One severity scale for a forwarded record (the alert's own), mapped to CEF's 0–10 and
// OCSF's severity_id.
import type { SeverityName } from '@wardwatch/shared';
import type { ForwardRecord } from './forward-record';

export function severityOf(record: ForwardRecord): SeverityName {
  if (record.alert) return record.alert.severity;
  if (record.kind === 'action') return record.details.outcome === 'failed' ? 'medium' : 'low';
  return 'info';
}

export const CEF_SEVERITY: Record<SeverityName, number> = {
  unspecified: 0,
  info: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
};

/** OCSF: 0 Unknown, 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY_ID: Record<SeverityName, number> = {
  unspecified: 0,
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};
