// RFC 5424 syslog messages, framed for a TLS stream by octet counting (RFC 6587 §3.4.1,
// the framing RFC 5425 requires): `<length> <message>`, the length in bytes of the UTF-8
// message. Header fields are printable US-ASCII without spaces (else NILVALUE `-`);
// structured-data values escape `"`, `\` and `]`.
const FACILITY_SECURITY = 13; // log audit
const SEVERITY: Record<string, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6, unspecified: 6 };

export interface SyslogMessage {
  timeMs: number;
  hostname: string;
  appName: string;
  msgId: string;
  severity: string;
  /** [SD-ID, [[name, value], …]] */
  structuredData?: [string, [string, string][]];
  message: string;
}

function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export function escapeSdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

export function formatSyslog(message: SyslogMessage): string {
  const pri = FACILITY_SECURITY * 8 + (SEVERITY[message.severity] ?? 6);
  const sd = message.structuredData
    ? `[${message.structuredData[0]}${message.structuredData[1].map(([k, v]) => ` ${k}="${escapeSdValue(v)}"`).join('')}]`
    : '-';
  return [
    `<${pri}>1`,
    new Date(message.timeMs).toISOString(),
    headerField(message.hostname, 255),
    headerField(message.appName, 48),
    '-',
    headerField(message.msgId, 32),
    sd,
    message.message,
  ].join(' ');
}

export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
