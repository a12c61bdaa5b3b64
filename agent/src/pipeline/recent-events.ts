// The last events the agent queued, already pseudonymised, in the local API's
// shape for the tray. A fixed-size ring: old entries are overwritten. Events are
// kept as they are and shaped only when the tray asks: at 1,000 events/s the
// summary strings cost ~2 % of a core for lines nobody reads
// (scripts/bench/agent-footprint.bench.ts).
import type { Event } from '@wardwatch/proto';
import type { RecentEvent } from '@wardwatch/shared/agent';

export const RECENT_EVENTS_KEPT = 200;

export class RecentEvents {
  private readonly ring: (Event | undefined)[];
  private next = 0;

  constructor(private readonly capacity = RECENT_EVENTS_KEPT) {
    this.ring = new Array<Event | undefined>(capacity);
  }

  add(event: Event): void {
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  list(): RecentEvent[] {
    const out: RecentEvent[] = [];
    for (let i = 1; i <= this.capacity; i++) {
      const event = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (event) out.push(toRecentEvent(event));
    }
    return out;
  }
}

export function toRecentEvent(event: Event): RecentEvent {
  const detail = event.detail;
  const base = { id: event.id, timeMs: event.timeMs };
  switch (detail?.$case) {
    case 'file': {
      const f = detail.value;
      const size = f.sizeBytes > 0 ? `, ${f.sizeBytes} bytes` : '';
      const movedOut = f.action === 'rename' && f.previousFolderClass === 'phi' && f.folderClass !== 'phi';
      const folder = `${/^[aeiou]/.test(f.folderClass) ? 'an' : 'a'} ${f.folderClass} folder${size}`;
      return {
        ...base,
        category: 'file',
        action: f.action,
        summary:
          f.action === 'copy'
            ? `copy of a patient-data ${f.extension || 'file'} into ${folder}`
            : movedOut
              ? `patient-data ${f.extension || 'file'} moved out into ${folder}`
              : `${f.action} ${f.extension || '(no extension)'} in ${folder}`,
      };
    }
    case 'login': {
      const l = detail.value;
      const via = [l.service, l.method && `(${l.method})`].filter(Boolean).join(' ');
      const from = l.sourceIp ? ` from ${l.sourceIp}` : '';
      return {
        ...base,
        category: 'login',
        action: l.action,
        summary: `${l.action} of ${event.user || 'unknown user'} via ${via || 'unknown service'}${from}`,
      };
    }
    case 'process':
      return {
        ...base,
        category: 'process',
        action: detail.value.action,
        summary: `process ${detail.value.action} pid ${detail.value.pid}`,
      };
    case 'device':
      return {
        ...base,
        category: 'device',
        action: detail.value.action,
        summary: `${detail.value.deviceType} ${detail.value.action}`,
      };
    case 'network':
      return {
        ...base,
        category: 'network',
        action: detail.value.action,
        summary: `${detail.value.protocol} to port ${detail.value.remotePort}`,
      };
    default:
      return { ...base, category: 'unknown', action: '', summary: '' };
  }
}
