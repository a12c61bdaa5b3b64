// The files the native watcher knows to exist, per folder, by name. They decide
// whether a file that is there was added or changed, and whether one that is gone
// was unlinked.
//
// Memory is the point: a workstation may hold 100,000 patient files, and nearly all
// of them are found by the scan at start and never touched. Those are packed per
// folder into one string ('\0' after each name) with a sorted index of offsets:
// about the name's length + 5 bytes a file, where a Map entry with its own string
// cost ~60 B (100,000 names of 24 characters: 3.0 MB packed, 11.9 MB as Maps,
// measured in one process). Files looked at since (with their stats) sit in a Map.
// Where the scan took sizes (the patient-data folders), 8 bytes a file hold them and
// a count per size rules sizes out (55 B a file in all): a renamed copy is found by
// its size (copy-lineage.ts).
import { fnv1a } from '@wardwatch/shared/agent';

/** Stats of a file looked at; null: found by the scan at start, not looked at since. */
export interface Known {
  size: number;
  mtimeMs: number;
}

export class KnownFiles {
  private readonly folders = new Map<string, FolderFiles>();
  /**
   * How many known files have a name of each hash: a name no file has is ruled out without looking
   * in every folder (a copy's source, copy-lineage.ts): 0.5 µs instead of 2.6 ms with 10,000 folders,
   * for 36 B a name (100,000 names: 14.3 MB of heap with it, 10.8 without; copy-lineage.bench.ts).
   */
  private readonly nameHashes = new Counts();
  /**
   * How many known files have each size (of those whose size is known): a size no file has is ruled
   * out the same way. With the sizes themselves 55 B a file (100,000: 19.6 MB of heap in all).
   */
  private readonly sizeCounts = new Counts();

  get(dir: string, name: string): Known | null | undefined {
    return this.folders.get(dir)?.get(name);
  }

  /** A file the scan at start found, with its size where the scan took it. */
  scanned(dir: string, name: string, size = NaN): void {
    if (!this.folder(dir).scan(name, size)) return;
    this.nameHashes.add(nameHash(name), 1);
    this.countSize(size, 1);
  }

  /** A file looked at. */
  set(dir: string, name: string, known: Known): void {
    const folder = this.folder(dir);
    const before = folder.sizeOf(name);
    folder.set(name, known);
    if (before === undefined) this.nameHashes.add(nameHash(name), 1);
    else this.countSize(before, -1);
    this.countSize(known.size, 1);
  }

  delete(dir: string, name: string): boolean {
    const folder = this.folders.get(dir);
    const size = folder?.sizeOf(name);
    if (size === undefined || !folder?.delete(name)) return false;
    this.nameHashes.add(nameHash(name), -1);
    this.countSize(size, -1);
    if (folder.size === 0) this.folders.delete(dir);
    return true;
  }

  /** The folders other than `except` in which a file of this name is known. */
  foldersWith(name: string, except?: string): string[] {
    const own = except !== undefined && this.get(except, name) !== undefined ? 1 : 0;
    if (this.nameHashes.count(nameHash(name)) <= own) return [];
    const found: string[] = [];
    for (const [dir, folder] of this.folders) if (dir !== except && folder.get(name) !== undefined) found.push(dir);
    return found;
  }

  /** Up to `limit` files of this size, as [folder, name], in the folders `inFolder` accepts. */
  filesOfSize(size: number, inFolder: (dir: string) => boolean, limit: number): [dir: string, name: string][] {
    const found: [string, string][] = [];
    if (this.sizeCounts.count(size) === 0) return found;
    for (const [dir, folder] of this.folders) {
      // The folder's own sizes first: asking `inFolder` of every folder costs more than a scan of ten sizes.
      const names = folder.namesOfSize(size);
      if (names.length === 0 || !inFolder(dir)) continue;
      for (const name of names) if (found.push([dir, name]) >= limit) return found;
    }
    return found;
  }

  private folder(dir: string): FolderFiles {
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = new FolderFiles()));
    return folder;
  }

  private countSize(size: number, by: 1 | -1): void {
    if (!Number.isNaN(size)) this.sizeCounts.add(size, by);
  }

  /** Packs what a scan of `dir` found: call when its listing is done. */
  sealScan(dir: string): void {
    this.folders.get(dir)?.seal();
  }

  /** The names known in `dir`. */
  names(dir: string): string[] {
    return this.folders.get(dir)?.names() ?? [];
  }

  /** Forgets the folders for which `inTree` holds; returns each one's names. */
  deleteFolders(inTree: (dir: string) => boolean): [dir: string, names: string[]][] {
    const gone: [string, string[]][] = [];
    for (const [dir, folder] of [...this.folders]) {
      if (!inTree(dir)) continue;
      const entries = folder.entries();
      for (const [name, size] of entries) {
        this.nameHashes.add(nameHash(name), -1);
        this.countSize(size, -1);
      }
      gone.push([dir, entries.map(([name]) => name)]);
      this.folders.delete(dir);
    }
    return gone;
  }
}

const SEPARATOR = '\0'; // in no file name on any of our platforms

/** Shared by every folder whose sizes the scan did not take (an array apiece cost ~190 B a folder). */
const NO_SIZES = new Float64Array(0);

/** A count per small-integer key, holding only keys counted above 0. */
class Counts {
  private readonly map = new Map<number, number>();

  count(key: number): number {
    return this.map.get(key) ?? 0;
  }

  add(key: number, by: 1 | -1): void {
    const count = this.count(key) + by;
    if (count > 0) this.map.set(key, count);
    else this.map.delete(key);
  }
}

/** FNV-1a cut to 30 bits: always a small integer (no heap number per key). */
function nameHash(name: string): number {
  return fnv1a(name) & 0x3fffffff;
}

/** One folder's known files: the scanned ones packed, the looked-at ones in a Map. */
export class FolderFiles {
  private packed = '';
  /** Where each packed name starts, sorted by name. */
  private offsets = new Int32Array(0);
  /** Each packed file's size (NaN: the scan took none); empty when the scan took no size here. */
  private sizes = NO_SIZES;
  /** 0 once a packed name was deleted or moved to `looked`. */
  private alive = new Uint8Array(0);
  private packedAlive = 0;
  /** Names a scan found that are not packed yet (see seal), with their sizes (NaN: not taken). */
  private scanned: Map<string, number> | null = null;
  private readonly looked = new Map<string, Known>();

  get size(): number {
    return this.packedAlive + (this.scanned?.size ?? 0) + this.looked.size;
  }

  get(name: string): Known | null | undefined {
    const known = this.looked.get(name);
    if (known) return known;
    return this.scanned?.has(name) || this.find(name) >= 0 ? null : undefined;
  }

  /** The size of a known file (NaN: the scan took none); undefined when the name is not known. */
  sizeOf(name: string): number | undefined {
    const known = this.looked.get(name);
    if (known) return known.size;
    const scanned = this.scanned?.get(name);
    if (scanned !== undefined) return scanned;
    const i = this.find(name);
    return i < 0 ? undefined : this.packedSize(i);
  }

  /** A name the scan found; returns whether it was not known before. */
  scan(name: string, size = NaN): boolean {
    if (this.get(name) !== undefined) return false;
    (this.scanned ??= new Map()).set(name, size);
    return true;
  }

  /** A name looked at; returns whether it was not known before. */
  set(name: string, known: Known): boolean {
    // A name looked at before is neither scanned nor packed any more: no search for it.
    const added = !this.looked.has(name) && this.scanned?.delete(name) !== true && !this.unpack(name);
    this.looked.set(name, known);
    return added;
  }

  delete(name: string): boolean {
    return this.looked.delete(name) || this.scanned?.delete(name) === true || this.unpack(name);
  }

  names(): string[] {
    return this.entries().map(([name]) => name);
  }

  /** Every known file as [name, size] (NaN: the scan took no size). */
  entries(): [name: string, size: number][] {
    const looked = [...this.looked].map(([name, known]): [string, number] => [name, known.size]);
    return [...this.packedEntries(), ...(this.scanned ?? []), ...looked];
  }

  /** The names of the files of this size. */
  namesOfSize(size: number): string[] {
    const found: string[] = [];
    for (let i = 0; i < this.sizes.length; i++) if (this.sizes[i] === size && this.alive[i]) found.push(this.nameAt(i));
    for (const [name, scanned] of this.scanned ?? []) if (scanned === size) found.push(name);
    for (const [name, known] of this.looked) if (known.size === size) found.push(name);
    return found;
  }

  /** Packs the scanned names with the packed ones still alive. */
  seal(): void {
    if (!this.scanned?.size) return void (this.scanned = null);
    this.pack([...this.packedEntries(), ...this.scanned]);
    this.scanned = null;
  }

  private pack(entries: [string, number][]): void {
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.offsets = new Int32Array(entries.length);
    this.alive = new Uint8Array(entries.length).fill(1);
    const sized = entries.some(([, size]) => !Number.isNaN(size));
    this.sizes = sized ? Float64Array.from(entries, ([, size]) => size) : NO_SIZES;
    let at = 0;
    entries.forEach(([name], i) => {
      this.offsets[i] = at;
      at += name.length + 1;
    });
    this.packed = entries.length > 0 ? entries.map(([name]) => name).join(SEPARATOR) + SEPARATOR : '';
    this.packedAlive = entries.length;
  }

  private *packedEntries(): Generator<[string, number]> {
    for (let i = 0; i < this.offsets.length; i++) if (this.alive[i]) yield [this.nameAt(i), this.packedSize(i)];
  }

  private packedSize(i: number): number {
    return this.sizes.length > 0 ? this.sizes[i] : NaN;
  }

  private nameAt(i: number): string {
    const start = this.offsets[i];
    return this.packed.slice(start, this.packed.indexOf(SEPARATOR, start));
  }

  /** The index of a live packed name, or -1. */
  private find(name: string): number {
    let low = 0;
    let high = this.offsets.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.nameAt(mid);
      if (at === name) return this.alive[mid] ? mid : -1;
      if (at < name) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private unpack(name: string): boolean {
    const i = this.find(name);
    if (i < 0) return false;
    this.alive[i] = 0;
    this.packedAlive--;
    // Mostly dead: repack, so the string does not keep what is gone.
    if (this.packedAlive < this.offsets.length / 2) this.pack([...this.packedEntries()]);
    return true;
  }
}
