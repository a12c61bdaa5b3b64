// sha256 of executables, off the poll path: a bounded number of files are
// hashed at once (read in chunks into one reused buffer per slot, never loaded
// whole), each file once per
// (device, inode, mtime, size), files over the size limit are skipped, and a
// full queue sheds work (counted) rather than growing without bound.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export interface ExecutableHasherOptions {
  concurrency?: number;
  maxFileBytes?: number;
  maxQueued?: number;
  maxCacheEntries?: number;
}

export interface HasherStats {
  hashed: number;
  cacheHits: number;
  skippedTooLarge: number;
  skippedQueueFull: number;
  failed: number;
}

export const MAX_HASHED_FILE_BYTES = 200 * 1024 * 1024;
/**
 * Read size per chunk. One buffer per hashing slot, kept for the agent's life:
 * a read stream would allocate a fresh chunk per read (~400 for the 100 MB node
 * binary), which glibc keeps in its heap long after they are freed — the agent's
 * RSS grew by ~25 MB while "idle" whenever a new program started on the host.
 */
export const HASH_CHUNK_BYTES = 128 * 1024;

export class ExecutableHasher {
  private readonly concurrency: number;
  private readonly maxFileBytes: number;
  private readonly maxQueued: number;
  private readonly maxCacheEntries: number;
  private readonly cache = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly waiting: Array<() => void> = [];
  private readonly buffers: Buffer[] = [];
  private active = 0;
  readonly stats: HasherStats = { hashed: 0, cacheHits: 0, skippedTooLarge: 0, skippedQueueFull: 0, failed: 0 };

  constructor(options: ExecutableHasherOptions = {}) {
    this.concurrency = options.concurrency ?? 2;
    this.maxFileBytes = options.maxFileBytes ?? MAX_HASHED_FILE_BYTES;
    this.maxQueued = options.maxQueued ?? 1000;
    this.maxCacheEntries = options.maxCacheEntries ?? 4096;
  }

  /** Hex sha256 of the first of `paths` that can be read; '' when none can (or it is skipped). */
  async hash(paths: readonly string[]): Promise<string> {
    for (const path of paths) {
      if (!path) continue;
      let key: string;
      let size: number;
      try {
        const s = await stat(path);
        if (!s.isFile()) continue;
        key = `${s.dev}:${s.ino}:${s.mtimeMs}:${s.size}`;
        size = s.size;
      } catch {
        continue;
      }
      const cached = this.cache.get(key);
      if (cached !== undefined) {
        this.stats.cacheHits += 1;
        return cached;
      }
      if (size > this.maxFileBytes) {
        this.stats.skippedTooLarge += 1;
        return '';
      }
      const running = this.inFlight.get(key);
      if (running) return running;
      if (this.waiting.length >= this.maxQueued) {
        this.stats.skippedQueueFull += 1;
        return '';
      }
      const job = this.limited(() => this.withBuffer((buffer) => sha256File(path, buffer)))
        .then(
          (digest) => {
            this.remember(key, digest);
            this.stats.hashed += 1;
            return digest;
          },
          () => {
            this.stats.failed += 1;
            return '';
          },
        )
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, job);
      const digest = await job;
      if (digest) return digest;
    }
    return '';
  }

  private remember(key: string, digest: string): void {
    if (this.cache.size >= this.maxCacheEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, digest);
  }

  /** A chunk buffer for one hash at a time; at most `concurrency` of them ever exist. */
  private async withBuffer<T>(task: (buffer: Buffer) => Promise<T>): Promise<T> {
    const buffer = this.buffers.pop() ?? Buffer.allocUnsafeSlow(HASH_CHUNK_BYTES);
    try {
      return await task(buffer);
    } finally {
      this.buffers.push(buffer);
    }
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Hex sha256 of a file, read in chunks into `buffer` (reused by the caller). */
export async function sha256File(path: string, buffer: Buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES)): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
