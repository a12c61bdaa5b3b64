// What every source of reads (the Linux audit log, the Windows Security log) does
// with one open of a file to read it: reported when it is a person's read of a
// patient file, once per person and file within `windowMs`, at most
// `maxPerMinute` a minute; counted, not reported, when it is the agent's own, an
// ignored executable's, a service's (no login behind it) or a repeat.
import { randomUUID } from 'node:crypto';
import { type Event, Severity } from '@wardwatch/proto';
import { RecentMap, type ReadCounts } from '@wardwatch/shared/agent';
import type { EventSink } from '../collector';
import type { PathClassifier } from '../../paths/path-classifier';

/** One file opened to be read, as a source saw it. */
export interface ReadAttempt {
  /** Absolute. */
  path: string;
  timeMs: number;
  /** The executable, as the source names it. */
  process: string;
  pid: number;
  /** The person whose session it was; undefined where no login is behind it. */
  user: string | undefined;
  /** The file's owner where the source says (else empty). */
  owner: string;
}

export interface ReadReporterOptions {
  /** The configured folders: reads below a `phi` one are reported. */
  classify: PathClassifier;
  /** One read per person and file within this time. */
  windowMs: number;
  maxPerMinute: number;
  /** Executables (absolute paths, as the source names them) whose reads are not a person's. */
  ignoreExecutables: readonly string[];
  /** Compare executables without case (Windows). */
  foldCase?: boolean;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** The agent's own process, whose reads are its own work. */
  ownPid?: number;
  /** Where a source cannot tell a folder listed from a file read (Windows): true for a folder. */
  isFolder?: (path: string) => boolean;
}

/**
 * Person and file pairs remembered for the window: at the default limit, twice what a window can
 * report (6,000), and a hostile reader's 4 KB paths hold at most ~50 MB.
 */
const MAX_REMEMBERED = 12_000;

export class ReadReporter {
  /** What became of the opens to read a patient file (the agent's status shows them). */
  readonly stats: ReadCounts = {
    seen: 0,
    reported: 0,
    repeated: 0,
    unattended: 0,
    ignoredExecutable: 0,
    overLimit: 0,
  };
  private readonly lastReported = new RecentMap<string, number>(MAX_REMEMBERED);
  private readonly ignored: ReadonlySet<string>;
  private minute = -1;
  private inMinute = 0;

  constructor(private readonly options: ReadReporterOptions) {
    this.ignored = new Set(options.ignoreExecutables.map((exe) => this.executableKey(exe)));
  }

  report(read: ReadAttempt, sink: EventSink | null): void {
    const shape = this.options.classify.watched(read.path);
    if (shape?.folderClass !== 'phi' || this.options.isFolder?.(read.path)) return;
    this.stats.seen += 1;
    if (read.pid === (this.options.ownPid ?? process.pid)) return;
    if (this.ignored.has(this.executableKey(read.process))) return void (this.stats.ignoredExecutable += 1);
    if (read.user === undefined) return void (this.stats.unattended += 1);
    const key = `${read.user}\0${read.path}`;
    const last = this.lastReported.get(key);
    if (last !== undefined && read.timeMs - last >= 0 && read.timeMs - last < this.options.windowMs)
      return void (this.stats.repeated += 1);
    const event: Event = {
      id: randomUUID(),
      timeMs: read.timeMs,
      sequence: 0, // given by the outbox
      severity: Severity.SEVERITY_LOW,
      user: read.user,
      detail: {
        $case: 'file',
        value: {
          action: 'read',
          path: read.path,
          previousPath: '',
          folderClass: 'phi',
          extension: shape.extension,
          depth: shape.depth,
          sizeBytes: -1,
          entropy: -1,
          owner: read.owner,
          process: read.process,
          pid: read.pid,
        },
      },
    };
    // Over the bound: counted where the manager sees drops, so a flood hides nothing silently.
    if (!this.withinLimit(read.timeMs)) return void sink?.overLimit?.(event);
    this.lastReported.set(key, read.timeMs);
    this.stats.reported += 1;
    sink?.emit(event);
  }

  private executableKey(exe: string): string {
    return this.options.foldCase ? exe.toLowerCase() : exe;
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
