// The last events the agent queued, already pseudonymised, in the local API's
// shape for the tray. A fixed-size ring: old entries fall off.
import type { Event } from '@wardwatch/proto';
import type { RecentEvent } from '@wardwatch/shared';

export const RECENT_EVENTS_KEPT = 200;

export class RecentEvents {
  private readonly ring: RecentEvent[] = [];

  constructor(private readonly capacity = RECENT_EVENTS_KEPT) {}

  add(event: Event): void {
    this.ring.push(toRecentEvent(event));
    if (this.ring.length > this.capacity) this.ring.shift();
  }

  /** Newest first. */
  list(): RecentEvent[] {
    return [...this.ring].reverse();
  }
}

export function toRecentEvent(event: Event): RecentEvent {
  const detail = event.detail;
  const base = { id: event.id, timeMs: event.timeMs };
  switch (detail?.$case) {
    case 'file': {
      const f = detail.value;
      const size = f.sizeBytes > 0 ? `, ${f.sizeBytes} bytes` : '';
      return { ...base, category: 'file', action: f.action, summary: `${f.action} ${f.extension || '(no extension)'} in a ${f.folderClass} folder${size}` };
    }
    case 'login': {
      const l = detail.value;
      const via = [l.service, l.method && `(${l.method})`].filter(Boolean).join(' ');
      const from = l.sourceIp ? ` from ${l.sourceIp}` : '';
      return { ...base, category: 'login', action: l.action, summary: `${l.action} of ${event.user || 'unknown user'} via ${via || 'unknown service'}${from}` };
    }
    case 'process':
      return { ...base, category: 'process', action: detail.value.action, summary: `process ${detail.value.action} pid ${detail.value.pid}` };
    case 'device':
      return { ...base, category: 'device', action: detail.value.action, summary: `${detail.value.deviceType} ${detail.value.action}` };
    case 'network':
      return { ...base, category: 'network', action: detail.value.action, summary: `${detail.value.protocol} to port ${detail.value.remotePort}` };
    default:
      return { ...base, category: 'unknown', action: '', summary: '' };
  }
}
