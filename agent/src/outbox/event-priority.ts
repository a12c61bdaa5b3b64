// Which events the outbox gives up first when it is full. Authentication
// failures, privilege use and anything in a patient-data folder are the last to
// go; routine file activity in other folders goes first.
import type { Event } from '@wardwatch/proto';

export const priorities = ['low', 'normal', 'high'] as const;
export type Priority = (typeof priorities)[number];

export function eventPriority(event: Event): Priority {
  const detail = event.detail;
  switch (detail?.$case) {
    case 'login':
      return detail.value.action === 'failed_logon' || detail.value.action === 'privilege_use' ? 'high' : 'normal';
    case 'file':
      return detail.value.folderClass === 'phi' ? 'high' : 'low';
    case 'process':
    case 'device':
    case 'network':
      return 'normal';
    default:
      return 'low';
  }
}
