// Patient files opened to be read, from the kernel audit log (Linux): the access
// trail a file watcher cannot give (reading changes nothing on disk), and the
// evidence of snooping. Needs a read rule on the patient-data folders (agent
// README, Reads). What is reported of them is read-reporter.ts's: one read per
// person and file within `windowMs` (a viewer opens a chart several times while it
// renders), at most `maxPerMinute` a minute, only a person's (a login behind it,
// not an executable the site names, not the agent's own).
import { posix } from 'node:path';
import type { ReadCounts } from '@wardwatch/shared/agent';
import type { AuditFeed, AuditSubscriber } from '../audit/audit-feed';
import { auditId, type AuditRecord } from '../audit/audit-record';
import { openat2Reads, openForRead, type ReadOpen } from '../audit/open-for-read';
import type { ReadAuditCheck } from './read-audit-check';
import type { Collector, EventSink } from '../collector';
import type { UserNames } from '../user-names';
import { ReadReporter, type ReadReporterOptions } from './read-reporter';

export interface ReadCollectorOptions extends ReadReporterOptions {
  feed: AuditFeed;
  userNames: UserNames;
  /** Whether the audit rules cover each patient-data folder, checked while the collector runs. */
  auditCheck?: ReadAuditCheck;
}

/** Syscalls of which PATH records may still come (some kernels write no EOE). */
const MAX_OPEN_GROUPS = 64;

interface Pending {
  open: ReadOpen;
  timeMs: number;
  exe: string;
  pid: number;
  auid: number | undefined;
  cwd?: string;
}

export class ReadCollector implements Collector, AuditSubscriber {
  readonly name = 'reads';
  private sink: EventSink | null = null;
  private unsubscribe: (() => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly reporter: ReadReporter;

  constructor(private readonly options: ReadCollectorOptions) {
    this.reporter = new ReadReporter(options);
  }

  /** What became of the opens to read a patient file (the agent's status shows them). */
  get stats(): ReadCounts {
    return this.reporter.stats;
  }

  start(sink: EventSink): Promise<void> {
    if (this.unsubscribe) return Promise.resolve();
    this.sink = sink;
    this.unsubscribe = this.options.feed.subscribe(this);
    try {
      this.options.feed.acquire();
    } catch (error) {
      this.unsubscribe();
      this.unsubscribe = undefined;
      return Promise.reject(new Error(`cannot read the audit log: ${(error as Error).message}`, { cause: error }));
    }
    this.options.auditCheck?.start();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.options.auditCheck?.stop();
    if (this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
      this.options.feed.release();
      this.pending.clear();
    }
    return Promise.resolve();
  }

  record(r: AuditRecord): void {
    if (r.type === 'SYSCALL') {
      const open = openForRead(r);
      if (!open) return;
      const f = r.fields;
      this.pending.set(r.serial, {
        open,
        timeMs: r.timeMs,
        exe: f.get('exe') ?? '',
        pid: auditId(f.get('pid')) ?? 0,
        auid: auditId(f.get('auid')),
      });
      if (this.pending.size > MAX_OPEN_GROUPS) this.pending.delete(this.pending.keys().next().value!);
      return;
    }
    const p = this.pending.get(r.serial);
    if (!p) return;
    if (r.type === 'CWD') p.cwd = r.fields.get('cwd');
    else if (r.type === 'OPENAT2') {
      if (openat2Reads(r)) p.open.flagsToCome = false;
      else this.pending.delete(r.serial);
    } else if (r.type === 'PATH') this.path(p, r.fields);
    else if (r.type === 'EOE') this.pending.delete(r.serial);
  }

  parseError(reason: string): void {
    this.sink?.parseError(this.name, reason);
  }

  private path(p: Pending, f: Map<string, string>): void {
    const name = f.get('name');
    // A regular file (mode 0100xxx): a directory opened to be listed is not a chart read.
    if (p.open.flagsToCome || !name || f.get('nametype') !== 'NORMAL' || !f.get('mode')?.startsWith('0100')) return;
    const path = name.startsWith('/')
      ? posix.normalize(name)
      : p.open.cwdRelative && p.cwd?.startsWith('/')
        ? posix.resolve(p.cwd, name)
        : undefined;
    if (path === undefined) return;
    const ouid = auditId(f.get('ouid'));
    this.reporter.report(
      {
        path,
        timeMs: p.timeMs,
        process: p.exe,
        pid: p.pid,
        user: p.auid === undefined ? undefined : this.options.userNames.name(p.auid),
        owner: ouid === undefined ? '' : this.options.userNames.name(ouid),
      },
      this.sink,
    );
  }
}
