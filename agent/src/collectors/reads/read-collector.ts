// Patient files opened to be read, from the kernel audit log: the access trail a
// file watcher cannot give (reading changes nothing on disk), and the evidence of
// snooping. Needs a read rule on the patient-data folders (agent README, Reads).
//
// One read is reported per person and file within `windowMs` (a viewer opens a
// chart several times while it renders), at most `maxPerMinute` a minute (an
// indexer let loose on a share stops there, counted and said once), and only for
// a person: opens with no login session behind them (services, backups, scanners)
// and the executables a site names (its indexer, its antivirus) are counted, not
// reported; so are the agent's own reads (copy lineage, entropy samples).
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { type Event, Severity } from '@wardwatch/proto';
import { RecentMap, type ReadCounts } from '@wardwatch/shared/agent';
import type { AuditFeed, AuditSubscriber } from '../audit/audit-feed';
import { auditId, type AuditRecord } from '../audit/audit-record';
import { openat2Reads, openForRead, type ReadOpen } from '../audit/open-for-read';
import type { ReadRuleCheck } from './read-rules';
import type { Collector, EventSink } from '../collector';
import type { UserNames } from '../user-names';
import type { PathClassifier } from '../../paths/path-classifier';

export interface ReadCollectorOptions {
  feed: AuditFeed;
  /** The configured folders: reads below a `phi` one are reported. */
  classify: PathClassifier;
  userNames: UserNames;
  /** One read per person and file within this time. */
  windowMs: number;
  maxPerMinute: number;
  /** Executables (absolute paths, as the audit record gives them) whose reads are not a person's. */
  ignoreExecutables: readonly string[];
  log?: (level: 'info' | 'warn', message: string) => void;
  /** The agent's own process, whose reads are its own work. */
  ownPid?: number;
  /** Whether a read rule covers each patient-data folder, checked while the collector runs. */
  ruleCheck?: ReadRuleCheck;
}

/**
 * Person and file pairs remembered for the window: at the default limit, twice what a window can
 * report (6,000), and a hostile reader's 4 KB paths hold at most ~50 MB.
 */
const MAX_REMEMBERED = 12_000;
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
  /** What became of the opens to read a patient file (the agent's status shows them). */
  readonly stats: ReadCounts = {
    seen: 0,
    reported: 0,
    repeated: 0,
    unattended: 0,
    ignoredExecutable: 0,
    overLimit: 0,
  };
  private sink: EventSink | null = null;
  private unsubscribe: (() => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly lastReported = new RecentMap<string, number>(MAX_REMEMBERED);
  private readonly ignored: ReadonlySet<string>;
  private minute = -1;
  private inMinute = 0;

  constructor(private readonly options: ReadCollectorOptions) {
    this.ignored = new Set(options.ignoreExecutables);
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
    this.options.ruleCheck?.start();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.options.ruleCheck?.stop();
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
    const shape = path === undefined ? null : this.options.classify.watched(path);
    if (path === undefined || shape?.folderClass !== 'phi') return;
    this.stats.seen += 1;
    if (p.pid === (this.options.ownPid ?? process.pid)) return;
    if (this.ignored.has(p.exe)) return void (this.stats.ignoredExecutable += 1);
    if (p.auid === undefined) return void (this.stats.unattended += 1);
    const user = this.options.userNames.name(p.auid);
    const key = `${user}\0${path}`;
    const last = this.lastReported.get(key);
    if (last !== undefined && p.timeMs - last >= 0 && p.timeMs - last < this.options.windowMs)
      return void (this.stats.repeated += 1);
    const ouid = auditId(f.get('ouid'));
    const event: Event = {
      id: randomUUID(),
      timeMs: p.timeMs,
      sequence: 0, // given by the outbox
      severity: Severity.SEVERITY_LOW,
      user,
      detail: {
        $case: 'file',
        value: {
          action: 'read',
          path,
          previousPath: '',
          folderClass: 'phi',
          extension: shape.extension,
          depth: shape.depth,
          sizeBytes: -1,
          entropy: -1,
          owner: ouid === undefined ? '' : this.options.userNames.name(ouid),
          process: p.exe,
          pid: p.pid,
        },
      },
    };
    // Over the bound: counted where the manager sees drops, so a flood hides nothing silently.
    if (!this.withinLimit(p.timeMs)) return void this.sink?.overLimit?.(event);
    this.lastReported.set(key, p.timeMs);
    this.stats.reported += 1;
    this.sink?.emit(event);
  }

  private withinLimit(timeMs: number): boolean {
    const minute = Math.floor(timeMs / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.inMinute = 0;
    }
    if (this.inMinute < this.options.maxPerMinute) {
      this.inMinute += 1;
      return true;
    }
    if (this.inMinute === this.options.maxPerMinute)
      this.options.log?.(
        'warn',
        `over ${this.options.maxPerMinute} patient-file reads this minute: the rest counted, not reported`,
      );
    this.inMinute += 1;
    this.stats.overLimit += 1;
    return false;
  }
}
