// Which configured folder a path belongs to, its class and its depth below it.
import { extname, isAbsolute, relative, sep } from 'node:path';
import type { FolderClass } from '../../config/config.schema';

export interface WatchedFolder {
  path: string;
  class: FolderClass;
}

export interface PathFacts {
  folderClass: FolderClass;
  /** Path components below the watched folder: a file directly inside it has depth 1. */
  depth: number;
  /** Lower-case, with the dot (".pdf"); empty when there is none or it is not a plain extension. */
  extension: string;
}

export class WatchedFolders {
  // Longest first, so a nested folder configured with its own class wins.
  private readonly folders: WatchedFolder[];
  /** `<folder><sep>` per folder, same order: the per-event test is a prefix compare. */
  private readonly prefixes: string[];

  constructor(folders: readonly WatchedFolder[]) {
    this.folders = [...folders].sort((a, b) => b.path.length - a.path.length);
    this.prefixes = this.folders.map((f) => (f.path.endsWith(sep) ? f.path : f.path + sep));
  }

  facts(path: string): PathFacts | null {
    for (let i = 0; i < this.prefixes.length; i++) {
      const prefix = this.prefixes[i];
      if (path.length <= prefix.length || !path.startsWith(prefix)) continue;
      let depth = 1;
      for (let at = path.indexOf(sep, prefix.length); at >= 0; at = path.indexOf(sep, at + 1)) depth += 1;
      return { folderClass: this.folders[i].class, depth, extension: plainExtension(path) };
    }
    // Not spelled the same way (relative parts, case on Windows): let path.relative decide.
    for (const folder of this.folders) {
      const rel = relative(folder.path, path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      return { folderClass: folder.class, depth: rel.split(sep).length, extension: plainExtension(path) };
    }
    return null;
  }
}

/** Only short alphanumeric extensions are kept in clear: anything else could carry a name. */
export function plainExtension(path: string): string {
  const ext = extname(path).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}
