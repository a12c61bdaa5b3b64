// Linux audit log (auditd, /var/log/audit/audit.log) records of program
// executions. One execution is several lines sharing `msg=audit(<time>:<serial>)`:
// SYSCALL (pid, ppid, uid, exe, success), EXECVE (argc, a0…, long arguments as
// aN_len + aN[k] pieces, possibly over several EXECVE lines), CWD, PATH,
// PROCTITLE and, with auditd ≥ 2.x, a closing EOE. Values are "quoted", bare,
// or hex-encoded when they contain spaces or odd bytes; ENRICHED logs append
// translated fields after a 0x1d byte, which are ignored here.

export interface AuditRecord {
  type: string;
  timeMs: number;
  serial: number;
  fields: Map<string, string>;
}

export type AuditLineResult = { kind: 'record'; record: AuditRecord } | { kind: 'ignored' } | { kind: 'error'; reason: string };

export interface AuditExec {
  timeMs: number;
  serial: number;
  pid: number;
  ppid: number;
  uid?: number;
  /** The login uid (who logged in), which survives su/sudo; undefined when unset. */
  auid?: number;
  exe: string;
  argv: string[];
}

const HEADER = /^type=(\S+) msg=audit\((\d{1,12})\.(\d{1,3}):(\d{1,20})\): ?([\s\S]*)$/;
const FIELD = /([\w[\]-]+)=("[^"]*"|\S*)/g;
/** Fields that auditd hex-encodes when their value is not plain printable text. */
const ENCODABLE = /^(?:a\d+(?:\[\d+\])?|exe|comm|name|proctitle|cwd)$/;
const UNSET_ID = 4294967295;

function decode(key: string, raw: string): string {
  if (raw.startsWith('"')) return raw.slice(1, -1);
  if (raw === '(null)') return '';
  if (ENCODABLE.test(key) && raw.length % 2 === 0 && /^[0-9A-F]+$/.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

export function parseAuditLine(line: string): AuditLineResult {
  if (line.trim() === '') return { kind: 'ignored' };
  const gs = line.indexOf('\x1d');
  const m = HEADER.exec(gs >= 0 ? line.slice(0, gs) : line);
  if (!m) return line.startsWith('type=') ? { kind: 'error', reason: 'audit record without msg=audit(time:serial)' } : { kind: 'error', reason: 'not an audit record' };
  const type = m[1]!;
  if (type !== 'SYSCALL' && type !== 'EXECVE' && type !== 'EOE') return { kind: 'ignored' };
  const fields = new Map<string, string>();
  for (const f of m[5]!.matchAll(FIELD)) fields.set(f[1]!, decode(f[1]!, f[2]!));
  return {
    kind: 'record',
    record: { type, timeMs: Number(m[2]) * 1000 + Number(m[3]!.padEnd(3, '0')), serial: Number(m[4]), fields },
  };
}

interface Partial {
  timeMs: number;
  syscall?: Map<string, string>;
  execve: Map<string, string>;
  sawExecve: boolean;
}

function id(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n === UNSET_ID ? undefined : n;
}

function argvOf(fields: Map<string, string>): string[] {
  const argc = Number(fields.get('argc') ?? 0);
  const argv: string[] = [];
  for (let i = 0; i < Math.min(argc, 4096); i += 1) {
    const whole = fields.get(`a${i}`);
    if (whole !== undefined) {
      argv.push(whole);
      continue;
    }
    let joined = '';
    for (let k = 0; fields.has(`a${i}[${k}]`); k += 1) joined += fields.get(`a${i}[${k}]`);
    argv.push(joined);
  }
  return argv;
}

/** Groups records by serial and yields one AuditExec per successful execution. */
export class AuditExecAssembler {
  private readonly open = new Map<number, Partial>();

  constructor(private readonly maxOpen = 256) {}

  push(record: AuditRecord): AuditExec[] {
    const done: AuditExec[] = [];
    if (record.type === 'EOE') {
      const p = this.open.get(record.serial);
      if (p) {
        this.open.delete(record.serial);
        this.finish(record.serial, p, done);
      }
      return done;
    }
    let p = this.open.get(record.serial);
    if (!p) {
      p = { timeMs: record.timeMs, execve: new Map(), sawExecve: false };
      this.open.set(record.serial, p);
      // Logs without EOE: events are written contiguously, so the oldest open ones are complete.
      while (this.open.size > this.maxOpen) {
        const [serial, oldest] = this.open.entries().next().value as [number, Partial];
        this.open.delete(serial);
        this.finish(serial, oldest, done);
      }
    }
    if (record.type === 'SYSCALL') p.syscall = record.fields;
    else {
      p.sawExecve = true;
      for (const [k, v] of record.fields) p.execve.set(k, v);
    }
    return done;
  }

  /** Completes every open event (end of input, or before a poll reads them). */
  flush(): AuditExec[] {
    const done: AuditExec[] = [];
    for (const [serial, p] of this.open) if (p.syscall && p.sawExecve) this.finish(serial, p, done);
    for (const [serial, p] of [...this.open]) if (p.syscall && p.sawExecve) this.open.delete(serial);
    return done;
  }

  private finish(serial: number, p: Partial, done: AuditExec[]): void {
    const s = p.syscall;
    if (!s || !p.sawExecve || s.get('success') !== 'yes') return;
    const pid = id(s.get('pid'));
    if (pid === undefined) return;
    done.push({
      timeMs: p.timeMs, serial, pid, ppid: id(s.get('ppid')) ?? 0, uid: id(s.get('uid')), auid: id(s.get('auid')),
      exe: s.get('exe') ?? '', argv: argvOf(p.execve),
    });
  }
}
