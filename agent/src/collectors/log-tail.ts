// The one log-tail primitive, under the auth-log follower (LogFollower) and the
// audit-log feed (AuditFeed): reads what was appended to a log file since the
// last call and hands it to a LineSplitter. Synchronous and pull-based: the
// caller decides when to read (a poll, a file watch, a file event).
// Invariants:
//  - it starts at the end of the file (`openAtEnd`): what was there before is not news;
//  - rotation by rename (a new file under the name): the old file is read to its end
//    through the open descriptor and its last unterminated line flushed, then the new
//    file is read from its start;
//  - copytruncate (the open file shrinks below our position): the partial line is
//    flushed and reading starts again at 0;
//  - a partial line is held until its newline comes (or one of the two cases above);
//  - no file under the name yet (or none since a rotation): nothing to read, not an
//    error; the file that appears is read from its start;
//  - one `read()` takes at most `maxBytesPerRead` (the rest waits for the next call),
//    except that a rotated-away file is always finished first.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { LineSplitter, type LineSplitterOptions } from './line-splitter';

export interface LogTailOptions extends LineSplitterOptions {
  path: string;
  maxBytesPerRead?: number;
}

export const DEFAULT_MAX_BYTES_PER_READ = 4 * 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;

export class LogTail {
  private fd: number | undefined;
  private file: { dev: number; ino: number } | undefined;
  private offset = 0;
  private following = false;
  private readonly buffer: Buffer;
  private readonly splitter: LineSplitter;
  private readonly maxBytesPerRead: number;

  constructor(private readonly options: LogTailOptions) {
    this.maxBytesPerRead = options.maxBytesPerRead ?? DEFAULT_MAX_BYTES_PER_READ;
    this.buffer = Buffer.allocUnsafe(Math.min(this.maxBytesPerRead, CHUNK_BYTES));
    this.splitter = new LineSplitter(options);
  }

  get path(): string {
    return this.options.path;
  }

  /** `dev:ino` of the open file, so a caller can tell when a new one was opened (to watch it); undefined when none is. */
  get openFile(): string | undefined {
    return this.file && `${this.file.dev}:${this.file.ino}`;
  }

  /**
   * Starts following at the current end of the file. Throws when it cannot be opened (ENOENT
   * included, so a caller that needs the file can refuse); the tail follows all the same, and a
   * later `read()` picks up the file that appears.
   */
  openAtEnd(): void {
    this.following = true;
    this.openNamed('end');
  }

  /** Reads what was appended (see the invariants). Throws when the file cannot be read; the next call tries again. */
  read(): void {
    if (!this.following) return;
    if (this.fd === undefined) {
      if (!this.openIfThere()) return;
      this.drain(this.maxBytesPerRead);
      return;
    }
    const named = statOrUndefined(this.options.path);
    if (named && this.file && (named.ino !== this.file.ino || named.dev !== this.file.dev)) {
      this.rotate();
      return;
    }
    if (fstatSync(this.fd).size < this.offset) {
      this.splitter.flush(); // copytruncate: what we had not read went to the copy
      this.offset = 0;
    }
    this.drain(this.maxBytesPerRead);
  }

  close(): void {
    this.following = false;
    this.closeFd();
  }

  /** A new file took the name: finish the old one, then start the new one. */
  private rotate(): void {
    let lost: unknown;
    try {
      this.drain(Number.POSITIVE_INFINITY);
      this.splitter.flush();
    } catch (error) {
      lost = error; // what the old file still held is lost; the new one is read all the same
    } finally {
      this.closeFd();
    }
    if (this.openIfThere()) this.drain(this.maxBytesPerRead);
    if (lost instanceof Error) throw lost;
    if (lost !== undefined) throw new Error('the rotated log could not be read to its end', { cause: lost });
  }

  /** Opens the file under the name from its start; false when there is none (yet). */
  private openIfThere(): boolean {
    try {
      this.openNamed('start');
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private openNamed(at: 'start' | 'end'): void {
    const fd = openSync(this.options.path, 'r');
    // Identity from the descriptor, not a stat of the name: the name may have moved on in between.
    const opened = fstatSync(fd);
    this.fd = fd;
    this.file = { dev: opened.dev, ino: opened.ino };
    this.offset = at === 'end' ? opened.size : 0;
  }

  private closeFd(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.file = undefined;
  }

  private drain(limit: number): void {
    let read = 0;
    while (read < limit && this.fd !== undefined) {
      const n = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, limit - read), this.offset);
      if (n === 0) return;
      this.offset += n;
      read += n;
      this.splitter.push(this.buffer.subarray(0, n)); // the splitter copies what it keeps
    }
  }
}

function statOrUndefined(path: string): { dev: number; ino: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // between rename and re-creation
  }
}
