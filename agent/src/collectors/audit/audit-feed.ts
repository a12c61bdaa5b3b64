// One tail of the audit log shared by everything that reads it (the process
// collector's executions, the file collector's actors), so the log is read and
// parsed once. Opened when the first user starts and closed when the last one
// stops; read when a user asks (a poll, a file event) and every
// `readIntervalMs` in between, so no backlog builds up while nobody asks.
import { accessSync, constants } from 'node:fs';
import { LogTail } from '../log-tail';
import { type AuditRecord, parseAuditLine } from './audit-record';

export const DEFAULT_AUDIT_LOG = '/var/log/audit/audit.log';

export function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export interface AuditSubscriber {
  record(record: AuditRecord): void;
  /** Unreadable lines: counted here in `stats` and handed to subscribers that report them. */
  parseError?(reason: string): void;
}

export interface AuditFeedOptions {
  path: string;
  readIntervalMs?: number;
  maxBytesPerRead?: number;
  /** Said once when reading starts failing, and once when it works again. */
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Runs while the log is followed: whether anything still writes it (auditd-check.ts). */
  writerCheck?: { start(): void; stop(): void };
}

export interface AuditFeedStats {
  reads: number;
  lines: number;
  records: number;
  parseErrors: number;
  readErrors: number;
}

export class AuditFeed {
  readonly stats: AuditFeedStats = { reads: 0, lines: 0, records: 0, parseErrors: 0, readErrors: 0 };
  private readonly subscribers = new Set<AuditSubscriber>();
  private tail: LogTail | undefined;
  private users = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private failing = false;

  constructor(private readonly options: AuditFeedOptions) {}

  get path(): string {
    return this.options.path;
  }

  get active(): boolean {
    return this.tail !== undefined;
  }

  subscribe(subscriber: AuditSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Starts one user; opens the log (at its end) for the first. Throws when it cannot be opened. */
  acquire(): void {
    this.users += 1;
    if (this.tail) return;
    try {
      const tail = new LogTail({
        path: this.options.path,
        line: (line) => this.line(line),
        overlong: (bytes) => this.error(`audit record of ${bytes} bytes skipped`),
        maxLineBytes: 64 * 1024,
        maxBytesPerRead: this.options.maxBytesPerRead,
      });
      // Only executions from now on: the log's end.
      try {
        tail.openAtEnd();
      } catch (error) {
        tail.close();
        throw error;
      }
      this.tail = tail;
    } catch (error) {
      this.users -= 1;
      throw error;
    }
    this.timer = setInterval(() => this.read(), this.options.readIntervalMs ?? 500);
    this.timer.unref();
    this.options.writerCheck?.start();
  }

  release(): void {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.options.writerCheck?.stop();
    this.tail?.close();
    this.tail = undefined;
  }

  /** Reads what was appended since the last read (bounded per call). Never throws: callers are event paths and timers. */
  read(): void {
    if (!this.tail) return;
    this.lastReadAt = performance.now();
    this.stats.reads += 1;
    try {
      this.tail.read();
      if (this.failing) this.options.log?.('info', 'audit log readable again');
      this.failing = false;
    } catch (error) {
      this.stats.readErrors += 1;
      if (!this.failing) this.options.log?.('warn', `audit log read failed, retrying: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  /** Reads unless a read happened within `gapMs`: a burst of file events costs one read, not one each. */
  readIfOlderThan(gapMs: number): void {
    if (performance.now() - this.lastReadAt >= gapMs) this.read();
  }

  private line(line: string): void {
    this.stats.lines += 1;
    const r = parseAuditLine(line);
    if (r.kind === 'error') return this.error(r.reason);
    if (r.kind !== 'record') return;
    this.stats.records += 1;
    for (const s of this.subscribers) s.record(r.record);
  }

  private error(reason: string): void {
    this.stats.parseErrors += 1;
    for (const s of this.subscribers) s.parseError?.(reason);
  }
}
