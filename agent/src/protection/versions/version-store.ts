// A bounded, encrypted local store of earlier versions of the files in protected
// folders, so that what a ransomware-like process damaged can be put back after a
// response stopped it (issue #9, item 6). The watcher (version-watcher.ts) decides
// when a copy is taken; this module keeps them.
//
// Invariants:
// - Every byte on disk is sealed (AES-256-GCM, version-cipher.ts): blobs and the
//   index alike; the folder is 0700, files 0600, the key a 0600 file beside it.
// - A content is stored once, whatever the number of files or versions naming it
//   (dedupe by content id); a copy of a file whose content equals its latest
//   version adds nothing.
// - Bytes on disk (sealed blobs) never exceed `budgetBytes` after a copy: room is
//   made by evicting the oldest versions first; a content larger than the budget
//   or than `maxFileBytes` is not stored (counted).
// - A blob is renamed into place before any index that names it is written, and a
//   blob no index names is removed when the store opens: a crash leaves at most
//   orphans, never an index naming what is not there. A blob that is missing or
//   does not open (tampered, other key) is never handed out: reading it throws.
// - `takenAt` is this agent's clock when the copy was read: a restore trusts it,
//   never the file's mtime (which a process can set).
import type { Logger } from '../../logging/logger';
import type { ProtectedFiles } from './protected-files';
import type { VersionCipher } from './version-cipher';
import type { VersionFiles } from './version-files';
import { IndexDocument, VersionIndex, type Version } from './version-index';

export interface VersionStoreOptions {
  files: VersionFiles;
  cipher: VersionCipher;
  budgetBytes: number;
  maxFileBytes: number;
  now?: () => number;
  logger?: Logger;
}

export type SnapshotOutcome = 'stored' | 'deduped' | 'unchanged' | 'gone' | 'too_large';

export interface VersionStoreStats {
  bytes: number;
  budgetBytes: number;
  versions: number;
  blobs: number;
  stored: number;
  deduped: number;
  unchanged: number;
  tooLarge: number;
  evicted: number;
}

/** A version whose content cannot be read back as it was stored. */
export class VersionUnreadableError extends Error {
  override readonly name = 'VersionUnreadableError';
}

const INDEX_LABEL = 'index';
type Counter = 'stored' | 'deduped' | 'unchanged' | 'tooLarge' | 'evicted';

export class VersionStore {
  private readonly now: () => number;
  private readonly counts: Record<Counter, number> = { stored: 0, deduped: 0, unchanged: 0, tooLarge: 0, evicted: 0 };
  private indexWrite: Promise<void> = Promise.resolve();
  private indexDirty = false;
  private budgetBytes: number;

  private constructor(
    private readonly options: VersionStoreOptions,
    private readonly index: VersionIndex,
  ) {
    this.now = options.now ?? Date.now;
    this.budgetBytes = options.budgetBytes;
  }

  /** A new budget (from free disk space, which counts what the store holds); applies to the next copy. */
  setBudget(bytes: number): void {
    this.budgetBytes = bytes;
  }

  /** Reads the index (an unreadable one starts the store empty, logged) and removes orphan blobs. */
  static async open(options: VersionStoreOptions): Promise<VersionStore> {
    const index = await readIndex(options);
    const store = new VersionStore(options, index);
    for (const id of await options.files.listBlobs()) if (!index.hasBlob(id)) await options.files.removeBlob(id);
    return store;
  }

  /** The index, read-only for a restore (which version was there before a time). */
  get versions(): Pick<VersionIndex, 'before' | 'latest' | 'createdAt' | 'paths'> {
    return this.index;
  }

  /** Copies `path` as it is now, unless its latest version already holds this content. */
  async snapshot(path: string, from: ProtectedFiles, createdAt: number | null = null): Promise<SnapshotOutcome> {
    const facts = await from.stat(path);
    if (!facts) return 'gone';
    if (facts.size > this.options.maxFileBytes) return this.count('tooLarge', 'too_large');
    const latest = this.index.latest(path);
    // Same size and mtime as the copy we hold: not read again (a restart re-scans cheaply).
    if (latest && latest.size === facts.size && latest.mtimeMs === facts.mtimeMs) {
      if (createdAt !== null) this.index.markCreated(path, createdAt);
      return this.count('unchanged', 'unchanged');
    }
    const content = await from.read(path, this.options.maxFileBytes);
    if (!content) return 'gone';
    const id = this.options.cipher.contentId(content);
    if (latest?.id === id) return this.count('unchanged', 'unchanged');
    let outcome: SnapshotOutcome = 'deduped';
    if (!this.index.hasBlob(id)) {
      const sealed = this.options.cipher.seal(content, id);
      if (sealed.length > this.budgetBytes) return this.count('tooLarge', 'too_large');
      await this.makeRoom(sealed.length);
      await this.options.files.writeBlob(id, sealed);
      this.index.addBlob(id, sealed.length);
      outcome = 'stored';
    }
    const version: Version = {
      id,
      size: content.length,
      takenAt: this.now(),
      mtimeMs: facts.mtimeMs,
      mode: facts.mode,
    };
    this.index.add(path, version, createdAt);
    this.indexDirty = true;
    return this.count(outcome === 'stored' ? 'stored' : 'deduped', outcome);
  }

  /** The content of a version, checked: sealed as stored and the same content id. */
  async contentOf(version: Version): Promise<Buffer> {
    const sealed = await this.options.files.readBlob(version.id);
    if (!sealed) throw new VersionUnreadableError('version content missing');
    const plain = this.options.cipher.open(sealed, version.id);
    if (!plain || this.options.cipher.contentId(plain) !== version.id)
      throw new VersionUnreadableError('version content altered or sealed with another key');
    return plain;
  }

  /** The content id `content` would have (a restore compares a file with its version). */
  idOf(content: Uint8Array): string {
    return this.options.cipher.contentId(content);
  }

  /** Writes the index if it changed since the last write (one write at a time). */
  flush(): Promise<void> {
    this.indexWrite = this.indexWrite.then(async () => {
      if (!this.indexDirty) return;
      this.indexDirty = false;
      const doc = Buffer.from(JSON.stringify(this.index.toDocument()));
      try {
        await this.options.files.writeIndex(this.options.cipher.seal(doc, INDEX_LABEL));
      } catch (error) {
        this.indexDirty = true;
        throw error;
      }
    });
    return this.indexWrite;
  }

  stats(): VersionStoreStats {
    return {
      bytes: this.index.bytes,
      budgetBytes: this.budgetBytes,
      versions: this.index.versionCount,
      blobs: this.index.blobCount,
      ...this.counts,
    };
  }

  private async makeRoom(bytes: number): Promise<void> {
    while (this.index.bytes + bytes > this.budgetBytes) {
      const evicted = this.index.evictOldest();
      if (!evicted) return;
      this.counts.evicted += 1;
      this.indexDirty = true;
      // The index is written after the blob is gone at the latest by the next flush; a
      // restore in between finds the version missing and says so (never wrong content).
      if (evicted.freedBlob) await this.options.files.removeBlob(evicted.version.id);
    }
  }

  private count(what: Counter, outcome: SnapshotOutcome): SnapshotOutcome {
    this.counts[what] += 1;
    return outcome;
  }
}

async function readIndex(options: VersionStoreOptions): Promise<VersionIndex> {
  const sealed = await options.files.readIndex();
  if (!sealed) return new VersionIndex();
  const plain = options.cipher.open(sealed, INDEX_LABEL);
  const parsed = plain ? IndexDocument.safeParse(safeJson(plain.toString('utf8'))) : null;
  if (parsed?.success) return VersionIndex.from(parsed.data);
  options.logger?.warn('version store index unreadable (altered or another key): starting empty');
  return new VersionIndex();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
