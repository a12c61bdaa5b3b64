import { severityNames, type EventView } from '@wardwatch/shared';

/** The REST name of a proto Severity level; unknown levels read as 'unspecified'. */
export function severityName(level: number): EventView['severity'] {
  return severityNames[level] ?? 'unspecified';
}
