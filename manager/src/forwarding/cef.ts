// ArcSight Common Event Format (CEF:0). Header fields are separated by `|`, so a `|` or `\`
// inside one is escaped; extension values are `key=value` pairs separated by spaces, so a
// `=` or `\` inside a value is escaped, and line breaks become `\n` / `\r` (a syslog message is
// one line). Keys are restricted to [A-Za-z0-9_]: anything else is dropped, never escaped.
import { detailText, type ForwardRecord } from './forward-record';
import { CEF_SEVERITY, severityOf } from './severity-map';

export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, ' ');
}

export function escapeCefExtension(value: string): string {
  return value
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

export interface CefEvent {
  vendor: string;
  product: string;
  version: string;
  signatureId: string;
  name: string;
  /** 0 … 10 */
  severity: number;
  extension: ReadonlyArray<readonly [string, string | number | undefined]>;
}

export function formatCef(event: CefEvent): string {
  const header = [
    'CEF:0',
    escapeCefHeader(event.vendor),
    escapeCefHeader(event.product),
    escapeCefHeader(event.version),
    escapeCefHeader(event.signatureId),
    escapeCefHeader(event.name),
    String(Math.max(0, Math.min(10, Math.round(event.severity)))),
  ].join('|');
  const extension = event.extension
    .filter(([key, value]) => /^[A-Za-z0-9_]+$/.test(key) && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeCefExtension(String(value))}`)
    .join(' ');
  return `${header}|${extension}`;
}

/** One forwarded record as CEF: `signatureId` is the audited action, `externalId` the event id. */
export function cefOf(record: ForwardRecord, managerVersion: string): string {
  const alert = record.alert;
  const name =
    record.kind === 'alert' && alert
      ? alert.title
      : record.kind === 'action'
        ? `${record.action} ${detailText(record, 'action')}`.trim()
        : record.action;
  return formatCef({
    vendor: 'WardWatch',
    product: 'WardWatch Manager',
    version: managerVersion,
    signatureId: record.action,
    name,
    severity: CEF_SEVERITY[severityOf(record)],
    extension: [
      ['externalId', record.eventId],
      ['rt', record.timeMs],
      ['cat', record.kind],
      ['act', record.action],
      ['suser', record.actor],
      ['duid', alert?.user],
      ['dvchost', alert?.agentId ?? (record.kind === 'action' ? record.target : undefined)],
      ['cs1Label', alert ? 'alertId' : 'target'],
      ['cs1', alert ? alert.id : record.target],
      ['cs2Label', alert ? 'rules' : undefined],
      ['cs2', alert?.ruleIds?.join(',')],
      ['cn1Label', alert ? 'score' : undefined],
      ['cn1', alert?.score],
      ['cs3Label', 'details'],
      ['cs3', JSON.stringify(record.details)],
      ['msg', alert?.reasons.join('; ')],
    ],
  });
}
