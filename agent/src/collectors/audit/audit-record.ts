// One line of the Linux audit log (auditd, /var/log/audit/audit.log). An audit
// event is several lines sharing `msg=audit(<time>:<serial>)`: SYSCALL first
// (pid, ppid, uid, auid, exe, success, the syscall and its first arguments),
// then EXECVE for executions, CWD, one PATH per name the syscall touched,
// PROCTITLE and, from some kernels, a closing EOE. Values are "quoted", bare,
// or hex-encoded when they contain spaces, quotes or bytes outside printable
// ASCII; ENRICHED logs append translated fields after a 0x1d byte, which are
// ignored here. Only the record types some consumer needs are parsed.

export interface AuditRecord {
  type: AuditRecordType;
  timeMs: number;
  serial: number;
  fields: Map<string, string>;
}

export type AuditRecordType = 'SYSCALL' | 'EXECVE' | 'CWD' | 'PATH' | 'OPENAT2' | 'EOE';
export type AuditLineResult =
  { kind: 'record'; record: AuditRecord } | { kind: 'ignored' } | { kind: 'error'; reason: string };

const TYPES: ReadonlySet<string> = new Set<AuditRecordType>(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'OPENAT2', 'EOE']);
const HEADER = /^type=(\S+) msg=audit\((\d{1,12})\.(\d{1,3}):(\d{1,20})\): ?([\s\S]*)$/;
const FIELD = /([\w[\]-]+)=("[^"]*"|\S*)/g;
/** Fields that auditd hex-encodes when their value is not plain printable text. */
const ENCODABLE = /^(?:a\d+(?:\[\d+\])?|exe|comm|name|proctitle|cwd)$/;
export const UNSET_ID = 4294967295;

function decode(key: string, raw: string): string {
  if (raw.startsWith('"')) return raw.slice(1, -1);
  if (raw === '(null)') return '';
  if (ENCODABLE.test(key) && raw.length % 2 === 0 && /^[0-9A-F]+$/.test(raw))
    return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

export function parseAuditLine(line: string): AuditLineResult {
  if (line.trim() === '') return { kind: 'ignored' };
  const gs = line.indexOf('\x1d');
  const m = HEADER.exec(gs >= 0 ? line.slice(0, gs) : line);
  if (!m)
    return line.startsWith('type=')
      ? { kind: 'error', reason: 'audit record without msg=audit(time:serial)' }
      : { kind: 'error', reason: 'not an audit record' };
  const type = m[1];
  if (!TYPES.has(type)) return { kind: 'ignored' };
  const fields = new Map<string, string>();
  for (const f of m[5].matchAll(FIELD)) fields.set(f[1], decode(f[1], f[2]));
  return {
    kind: 'record',
    record: {
      type: type as AuditRecordType,
      timeMs: Number(m[2]) * 1000 + Number(m[3].padEnd(3, '0')),
      serial: Number(m[4]),
      fields,
    },
  };
}

/** A uid, auid or pid field as a number; undefined when missing, malformed or unset (4294967295). */
export function auditId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n === UNSET_ID ? undefined : n;
}
