// Program executions from the Linux audit log (auditd): SYSCALL (pid, ppid,
// uid, exe, success) and EXECVE (argc, a0…, long arguments as aN_len + aN[k]
// pieces, possibly over several EXECVE lines) records of one event, grouped by
// serial; the line format is in ../audit/audit-record.ts.
import { type AuditRecord, auditId } from '../audit/audit-record';

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

interface Partial {
  timeMs: number;
  syscall?: Map<string, string>;
  execve: Map<string, string>;
  sawExecve: boolean;
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
    if (record.type === 'CWD' || record.type === 'PATH') return done;
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
    else if (record.type === 'EXECVE') {
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
    const pid = auditId(s.get('pid'));
    if (pid === undefined) return;
    done.push({
      timeMs: p.timeMs,
      serial,
      pid,
      ppid: auditId(s.get('ppid')) ?? 0,
      uid: auditId(s.get('uid')),
      auid: auditId(s.get('auid')),
      exe: s.get('exe') ?? '',
      argv: argvOf(p.execve),
    });
  }
}
