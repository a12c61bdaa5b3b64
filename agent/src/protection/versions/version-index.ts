// The version store's index, in memory and pure: per protected file the versions
// kept (content id, size, when taken), per content the bytes it holds on disk and
// how many versions name it. Eviction takes the oldest version first and frees a
// content only when no version names it any more. Serialised whole (zod-checked
// when read back); the store seals it before it touches the disk.
import { z } from 'zod';

export const Version = z.object({
  /** Content id: HMAC-SHA-256 of the plain bytes under the store key (the blob's name). */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  /** Our clock when the copy was taken: what a restore compares with its time. */
  takenAt: z.number().int(),
  mtimeMs: z.number(),
  mode: z.number().int().min(0).max(0o7777),
});
export type Version = z.infer<typeof Version>;

const FileEntry = z.object({
  versions: z.array(Version),
  /** When the watcher saw the file created (not found by a scan); null otherwise. */
  createdAt: z.number().int().nullable(),
});
type FileEntry = z.infer<typeof FileEntry>;

export const IndexDocument = z.object({
  format: z.literal(1),
  files: z.record(z.string(), FileEntry),
  /** Bytes on disk per content id (sealed size). */
  blobs: z.record(z.string(), z.number().int().min(0)),
});
export type IndexDocument = z.infer<typeof IndexDocument>;

export interface Evicted {
  path: string;
  version: Version;
  /** The content's blob is no longer named by any version: delete it. */
  freedBlob: boolean;
}

export class VersionIndex {
  private readonly files = new Map<string, FileEntry>();
  private readonly blobBytes = new Map<string, number>();
  private readonly refs = new Map<string, number>();
  /** Every version in the order taken: eviction pops from the front (no scan of all files). */
  private order: { path: string; version: Version }[] = [];
  private head = 0;
  private total = 0;

  static from(doc: IndexDocument): VersionIndex {
    const index = new VersionIndex();
    for (const [id, bytes] of Object.entries(doc.blobs)) index.addBlob(id, bytes);
    const all = Object.entries(doc.files).flatMap(([path, entry]) =>
      entry.versions.map((version) => ({ path, version, createdAt: entry.createdAt })),
    );
    all.sort((a, b) => a.version.takenAt - b.version.takenAt);
    for (const { path, version, createdAt } of all) if (index.hasBlob(version.id)) index.add(path, version, createdAt);
    for (const id of [...index.blobBytes.keys()]) if (!index.refs.get(id)) index.dropBlob(id);
    return index;
  }

  toDocument(): IndexDocument {
    return {
      format: 1,
      files: Object.fromEntries(this.files),
      blobs: Object.fromEntries(this.blobBytes),
    };
  }

  get bytes(): number {
    return this.total;
  }

  get versionCount(): number {
    return this.order.length - this.head;
  }

  get blobCount(): number {
    return this.blobBytes.size;
  }

  hasBlob(id: string): boolean {
    return this.blobBytes.has(id);
  }

  blobIds(): IterableIterator<string> {
    return this.blobBytes.keys();
  }

  addBlob(id: string, bytes: number): void {
    if (this.blobBytes.has(id)) return;
    this.blobBytes.set(id, bytes);
    this.total += bytes;
  }

  latest(path: string): Version | undefined {
    return this.files.get(path)?.versions.at(-1);
  }

  /** The newest version taken strictly before `time`. */
  before(path: string, time: number): Version | undefined {
    const versions = this.files.get(path)?.versions ?? [];
    for (let i = versions.length - 1; i >= 0; i--) if (versions[i].takenAt < time) return versions[i];
    return undefined;
  }

  createdAt(path: string): number | null {
    return this.files.get(path)?.createdAt ?? null;
  }

  /** Every path with at least one version. */
  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  /**
   * Adds a version (its blob must be there). Versions come in the order taken (one
   * clock, one writer), so each path's list and the eviction order stay sorted.
   */
  add(path: string, version: Version, createdAt: number | null = null): void {
    if (!this.blobBytes.has(version.id)) throw new Error('version added before its content');
    const entry = this.files.get(path) ?? { versions: [], createdAt };
    if (createdAt !== null && entry.createdAt === null) entry.createdAt = createdAt;
    entry.versions.push(version);
    this.files.set(path, entry);
    this.order.push({ path, version });
    this.refs.set(version.id, (this.refs.get(version.id) ?? 0) + 1);
  }

  /** Notes that the watcher saw `path` created at `time` (kept while the path has versions). */
  markCreated(path: string, time: number): void {
    const entry = this.files.get(path);
    if (entry) entry.createdAt = time;
  }

  /** Removes the oldest version of all; undefined when there is none. */
  evictOldest(): Evicted | undefined {
    if (this.head >= this.order.length) return undefined;
    const { path, version } = this.order[this.head];
    this.order[this.head] = undefined as never; // let it be collected before the compaction
    this.head += 1;
    if (this.head > 1_024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    const entry = this.files.get(path);
    if (entry) {
      const at = entry.versions.indexOf(version);
      if (at >= 0) entry.versions.splice(at, 1);
      if (entry.versions.length === 0) this.files.delete(path);
    }
    const left = (this.refs.get(version.id) ?? 1) - 1;
    if (left > 0) this.refs.set(version.id, left);
    else this.dropBlob(version.id);
    return { path, version, freedBlob: left === 0 };
  }

  private dropBlob(id: string): void {
    this.total -= this.blobBytes.get(id) ?? 0;
    this.blobBytes.delete(id);
    this.refs.delete(id);
  }
}
