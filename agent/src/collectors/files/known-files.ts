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
   * for 36 B a name (100,000 names: 14.1 MB of heap with it, 10.7 without; copy-lineage.bench.ts).
   */
  private readonly nameHashes = new Map<number, number>();

  get(dir: string, name: string): Known | null | undefined {
    return this.folders.get(dir)?.get(name);
  }

  set(dir: string, name: string, known: Known | null): void {
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = new FolderFiles()));
    if (folder.set(name, known)) this.countName(name, 1);
  }

  delete(dir: string, name: string): boolean {
    const folder = this.folders.get(dir);
    if (!folder?.delete(name)) return false;
    this.countName(name, -1);
    if (folder.size === 0) this.folders.delete(dir);
    return true;
  }

  /** The folders other than `except` in which a file of this name is known. */
  foldersWith(name: string, except?: string): string[] {
    const own = except !== undefined && this.get(except, name) !== undefined ? 1 : 0;
    if ((this.nameHashes.get(nameHash(name)) ?? 0) <= own) return [];
    const found: string[] = [];
    for (const [dir, folder] of this.folders) if (dir !== except && folder.get(name) !== undefined) found.push(dir);
    return found;
  }

  private countName(name: string, by: 1 | -1): void {
    const hash = nameHash(name);
    const count = (this.nameHashes.get(hash) ?? 0) + by;
    if (count > 0) this.nameHashes.set(hash, count);
    else this.nameHashes.delete(hash);
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
      const names = folder.names();
      for (const name of names) this.countName(name, -1);
      gone.push([dir, names]);
      this.folders.delete(dir);
    }
    return gone;
  }
}

const SEPARATOR = '\0'; // in no file name on any of our platforms

/** FNV-1a cut to 30 bits: always a small integer (no heap number per key). */
function nameHash(name: string): number {
  return fnv1a(name) & 0x3fffffff;
}

/** One folder's known files: the scanned ones packed, the looked-at ones in a Map. */
export class FolderFiles {
  private packed = '';
  /** Where each packed name starts, sorted by name. */
  private offsets = new Int32Array(0);
  /** 0 once a packed name was deleted or moved to `looked`. */
  private alive = new Uint8Array(0);
  private packedAlive = 0;
  /** Names a scan found that are not packed yet (see seal). */
  private scanned: Set<string> | null = null;
  private readonly looked = new Map<string, Known>();

  get size(): number {
    return this.packedAlive + (this.scanned?.size ?? 0) + this.looked.size;
  }

  get(name: string): Known | null | undefined {
    const known = this.looked.get(name);
    if (known) return known;
    return this.scanned?.has(name) || this.find(name) >= 0 ? null : undefined;
  }

  /** Returns whether the name was not known before. */
  set(name: string, known: Known | null): boolean {
    if (known === null) {
      if (this.get(name) !== undefined) return false;
      (this.scanned ??= new Set()).add(name);
      return true;
    }
    // A name looked at before is neither scanned nor packed any more: no search for it.
    const added = !this.looked.has(name) && this.scanned?.delete(name) !== true && !this.unpack(name);
    this.looked.set(name, known);
    return added;
  }

  delete(name: string): boolean {
    return this.looked.delete(name) || this.scanned?.delete(name) === true || this.unpack(name);
  }

  names(): string[] {
    return [...this.packedNames(), ...(this.scanned ?? []), ...this.looked.keys()];
  }

  /** Packs the scanned names with the packed ones still alive. */
  seal(): void {
    if (!this.scanned?.size) return void (this.scanned = null);
    this.pack([...this.packedNames(), ...this.scanned]);
    this.scanned = null;
  }

  private pack(names: string[]): void {
    names.sort();
    this.offsets = new Int32Array(names.length);
    this.alive = new Uint8Array(names.length).fill(1);
    let at = 0;
    names.forEach((name, i) => {
      this.offsets[i] = at;
      at += name.length + 1;
    });
    this.packed = names.length > 0 ? names.join(SEPARATOR) + SEPARATOR : '';
    this.packedAlive = names.length;
  }

  private *packedNames(): Generator<string> {
    for (let i = 0; i < this.offsets.length; i++) if (this.alive[i]) yield this.nameAt(i);
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
    if (this.packedAlive < this.offsets.length / 2) this.pack([...this.packedNames()]);
    return true;
  }
}
