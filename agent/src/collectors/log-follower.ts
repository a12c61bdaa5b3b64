// Follows a log file the way `tail -F` does, for the auth-log source: the reading
// (start at the end, rotation, copytruncate, partial lines, a file that does not
// exist yet) is the LogTail's; this adds when to read. An fs.watch on the open
// file reads an append at once; a poll every `pollMs` (one stat) sees rotation and
// a new file reliably on every file system, and stands in where watching is not
// possible (some network file systems).
import { watch, type FSWatcher } from 'node:fs';
import { LogTail } from './log-tail';

export interface LogFollowerOptions {
  path: string;
  onLine(line: string): void;
  onOverlong?(): void;
  onError?(error: unknown): void;
  maxLineBytes?: number;
  /** Safety poll for rotation and a file that appears; appends are seen at once through fs.watch. */
  pollMs?: number;
}

export const DEFAULT_TAIL_POLL_MS = 1_000;
/** Appends close together are read in one go: at most one read per this many ms under load. */
export const APPEND_COALESCE_MS = 50;

export class LogFollower {
  private readonly tail: LogTail;
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private watchedFile: string | undefined;
  private running = false;
  /** When the pending read is due (performance.now() time). */
  private dueAt = 0;

  constructor(private readonly options: LogFollowerOptions) {
    this.tail = new LogTail({
      path: options.path,
      maxLineBytes: options.maxLineBytes ?? 16 * 1024,
      overlongMode: 'cut',
      line: (line) => options.onLine(line),
      overlong: () => options.onOverlong?.(),
    });
  }

  /** Opens the file at its end (or waits for it) and starts following it. */
  start(): Promise<void> {
    this.running = true;
    try {
      this.tail.openAtEnd();
    } catch (error) {
      // Not there yet: the tail waits for it. Anything else (no permission) is the caller's to report.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.running = false;
        this.tail.close();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.rewatch();
    this.schedule();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unwatch();
    this.tail.close();
    return Promise.resolve();
  }

  /** Reads after `delayMs`; a nearer read replaces a later one. */
  private schedule(delayMs = this.options.pollMs ?? DEFAULT_TAIL_POLL_MS): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = performance.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.readNow();
      this.schedule();
    }, delayMs);
  }

  private readNow(): void {
    try {
      this.tail.read();
    } catch (error) {
      this.options.onError?.(error);
    }
    if (this.tail.openFile !== this.watchedFile) this.rewatch();
  }

  /** The watched file changed: read it shortly, once for a burst of appends (unless a read is due sooner anyway). */
  private kick(): void {
    if (!this.running) return;
    if (this.timer && this.dueAt - performance.now() <= APPEND_COALESCE_MS) return;
    this.schedule(APPEND_COALESCE_MS);
  }

  private rewatch(): void {
    this.unwatch();
    this.watchedFile = this.tail.openFile;
    if (this.watchedFile === undefined) return;
    try {
      this.watcher = watch(this.options.path, { persistent: false }, () => this.kick());
      // Watching is a speed-up only: on an error the poll carries on alone.
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
