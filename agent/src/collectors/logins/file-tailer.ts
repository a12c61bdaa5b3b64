// Follows a log file the way `tail -F` does: starts at its end, reads what is
// appended, and keeps going across rotation.
// - rename + new file (logrotate's default): the old file is read to its end
//   through the open descriptor, then the new file is read from its start;
// - copytruncate: the file shrinks below our position, so we start again at 0;
// - a file that does not exist yet (or is between rotations) is waited for.
// An fs.watch on the open file reads an append at once; a poll every `pollMs`
// (one stat) sees rotation and a new file reliably on every file system, and
// stands in where watching is not possible (some network file systems).
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { LineSplitter } from '../line-splitter';

export interface FileTailerOptions {
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

const READ_CHUNK = 64 * 1024;

export class FileTailer {
  private handle: FileHandle | null = null;
  private identity: { dev: number; ino: number } | null = null;
  private position = 0;
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private running = false;
  private inPoll = false;
  private pollAgain = false;
  private readQueued = false;
  private polling: Promise<void> = Promise.resolve();
  private readonly splitter: LineSplitter;
  private readonly buffer = Buffer.alloc(READ_CHUNK);

  constructor(private readonly options: FileTailerOptions) {
    this.splitter = new LineSplitter({
      maxLineBytes: options.maxLineBytes ?? 16 * 1024,
      overlongMode: 'cut',
      line: options.onLine,
      overlong: () => options.onOverlong?.(),
    });
  }

  /** Opens the file at its end (or waits for it) and starts following it. */
  async start(): Promise<void> {
    this.running = true;
    const current = await statOrNull(this.options.path);
    if (current) await this.openAt(current, current.size);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.unwatch();
    await this.polling;
    await this.handle?.close();
    this.handle = null;
  }

  /** Polls after `delayMs`; a poll is never run while another is in progress. */
  private schedule(delayMs = this.options.pollMs ?? DEFAULT_TAIL_POLL_MS): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.readQueued = false;
      this.inPoll = true;
      this.polling = this.poll()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.inPoll = false;
          const again = this.pollAgain;
          this.pollAgain = false;
          if (again) this.queueRead();
          else this.schedule();
        });
    }, delayMs);
  }

  /** The watched file changed: read it shortly (after the poll in progress, if any). */
  private kick(): void {
    if (!this.running) return;
    if (this.inPoll) this.pollAgain = true;
    else this.queueRead();
  }

  private queueRead(): void {
    if (this.readQueued) return;
    this.readQueued = true;
    this.schedule(APPEND_COALESCE_MS);
  }

  private watchOpenFile(): void {
    this.unwatch();
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

  private async poll(): Promise<void> {
    const named = await statOrNull(this.options.path);
    if (this.handle && this.identity) {
      const replaced = named !== null && (named.ino !== this.identity.ino || named.dev !== this.identity.dev);
      const open = await this.handle.stat();
      if (open.size < this.position) {
        // copytruncate: what we had not read yet went to the copy; the file starts over.
        this.splitter.flush();
        this.position = 0;
      }
      await this.readToEnd();
      if (!replaced) return;
      // Renamed away and a new file took its name: the old one is finished.
      this.splitter.flush();
      await this.handle.close();
      this.handle = null;
      this.identity = null;
      this.unwatch();
    }
    if (named) await this.openAt(named, 0); // a new file: all of it is new
  }

  private async openAt(stats: Stats, position: number): Promise<void> {
    try {
      this.handle = await open(this.options.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // gone again: next poll
      throw error;
    }
    // Identity from the descriptor, not the earlier stat: the name may have moved on in between.
    const opened = await this.handle.stat();
    this.identity = { dev: opened.dev, ino: opened.ino };
    this.watchOpenFile();
    this.position = opened.ino === stats.ino ? position : 0;
    await this.readToEnd();
  }

  private async readToEnd(): Promise<void> {
    if (!this.handle) return;
    for (;;) {
      const { bytesRead } = await this.handle.read(this.buffer, 0, READ_CHUNK, this.position);
      if (bytesRead === 0) return;
      this.position += bytesRead;
      this.splitter.push(this.buffer.subarray(0, bytesRead)); // the splitter copies what it keeps
    }
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}
