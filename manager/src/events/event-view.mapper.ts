import type { EventView } from '@wardwatch/shared';
import { severityName } from '../common/severity';
import type { EventRecord } from './event-record';

export function toEventView(record: EventRecord): EventView {
  return {
    id: record.eventId,
    agentId: record.agentId,
    hostname: record.hostname,
    timeMs: record.timeMs,
    receivedMs: record.receivedMs,
    severity: severityName(record.severity),
    user: record.user,
    category: record.category,
    action: record.action,
    detail: record.detail,
  };
}
