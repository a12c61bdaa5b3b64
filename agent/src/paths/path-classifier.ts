// The one path classifier: which kind of folder (phi, system, removable, other) a
// path lies in and how deep below it. The file collector asks `watched` whether a
// path is inside a configured folder (and reports it with that class); the
// pseudonymiser asks `shape` for any path an event carries (a file, an executable,
// a mount point), which is the shape its token keeps. Watched folders come from the
// agent's config; removable roots are the usual mount places plus every mount
// point the device collector reports while it is mounted.
import { extname } from 'node:path';
import { canonicalPath, isWindowsPath, type PathFolderClass, type PathShape } from '@wardwatch/shared/pseudonyms';

export interface ClassifiedFolder {
  path: string;
  /** Config classes; anything unknown counts as `other`. */
  class: string;
}

const REMOVABLE_PATTERNS = [/^\/media\/[^/]+\/[^/]+/, /^\/run\/media\/[^/]+\/[^/]+/, /^\/Volumes\/[^/]+/];
const SYSTEM_PATTERNS = [
  /^\/(?:usr|bin|sbin|lib|lib64|etc|boot|System|Library|Applications)(?=\/|$)/,
  /^[a-z]:\\(?:windows|program files|program files \(x86\)|programdata)(?=\\|$)/,
];

function asClass(value: string): PathFolderClass {
  return value === 'phi' || value === 'system' || value === 'removable' ? value : 'other';
}

function components(canonical: string): string[] {
  return canonical.split(/[\\/]+/).filter(Boolean);
}

/** components(canonical).length without building the array (called per file event). */
function componentCount(canonical: string): number {
  let count = 0;
  let inName = false;
  for (let i = 0; i < canonical.length; i++) {
    const c = canonical.charCodeAt(i);
    const separator = c === 47 || c === 92; // '/' or '\\'
    if (!separator && !inName) count++;
    inName = !separator;
  }
  return count;
}

interface Folder {
  /** As configured. */
  path: string;
  class: PathFolderClass;
  /** The folder's path components. */
  depth: number;
}

export class PathClassifier {
  /** Configured folders by canonical path; a path's folder is found by walking its parents, not by a scan. */
  private readonly folders = new Map<string, Folder>();
  private readonly mounted = new Set<string>();

  constructor(folders: readonly ClassifiedFolder[] = []) {
    for (const folder of folders) this.add(folder);
  }

  /** One more folder. One known already by another spelling keeps its class: the first given wins. */
  add(folder: ClassifiedFolder): void {
    const root = canonicalPath(folder.path);
    if (!this.folders.has(root))
      this.folders.set(root, { path: folder.path, class: asClass(folder.class), depth: componentCount(root) });
  }

  mountedRemovable(mountPoint: string): void {
    if (mountPoint.trim()) this.mounted.add(canonicalPath(mountPoint));
  }

  unmountedRemovable(mountPoint: string): void {
    this.mounted.delete(canonicalPath(mountPoint));
  }

  /** Class, depth and plain extension of a path strictly below a configured folder; null for any other path. */
  watched(path: string): PathShape | null {
    const canonical = canonicalPath(path);
    const folder = this.nearest(canonical, false);
    return folder
      ? { folderClass: folder.class, depth: componentCount(canonical) - folder.depth, extension: plainExtension(path) }
      : null;
  }

  /** The deepest configured folder holding `path`, as it was configured; undefined outside them all. */
  folderOf(path: string): string | undefined {
    return this.nearest(canonicalPath(path), false)?.path;
  }

  shape(path: string, extension: string): PathShape {
    const canonical = canonicalPath(path);
    const below = (root: string) => depthBelow(canonical, root);
    const folder = this.nearest(canonical, true);
    if (folder) return { folderClass: folder.class, depth: componentCount(canonical) - folder.depth, extension };
    for (const root of this.mounted)
      if (within(canonical, root)) return { folderClass: 'removable', depth: below(root), extension };
    for (const pattern of REMOVABLE_PATTERNS) {
      const match = pattern.exec(canonical);
      if (match) return { folderClass: 'removable', depth: below(match[0]), extension };
    }
    for (const pattern of SYSTEM_PATTERNS) {
      const match = pattern.exec(canonical);
      if (match) return { folderClass: 'system', depth: below(match[0]), extension };
    }
    // A drive letter, or a UNC share (\\server\share), is a root like "/".
    const root = canonical.startsWith('\\\\') ? 2 : isWindowsPath(path) ? 1 : 0;
    return { folderClass: 'other', depth: Math.max(0, components(canonical).length - root), extension };
  }

  /** The deepest configured folder holding a canonical path (or being it, when `inclusive`). */
  private nearest(canonical: string, inclusive: boolean): Folder | undefined {
    if (this.folders.size === 0) return undefined;
    if (inclusive) {
      const folder = this.folders.get(canonical);
      if (folder) return folder;
    }
    const separator = isWindowsPath(canonical) ? '\\' : '/';
    for (let dir = canonical; ;) {
      const last = dir.lastIndexOf(separator, dir.length - 2);
      if (last < 0) return undefined;
      // A root keeps its separator ("/", "c:\\"); a UNC path stops at its server.
      const parent = dir.slice(0, last === 0 || dir[last - 1] === ':' ? last + 1 : last);
      if (parent === dir) return undefined;
      const folder = this.folders.get(parent);
      if (folder) return folder;
      dir = parent;
    }
  }
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root + separatorAfter(root));
}

/** What follows `root` in a path below it ('' when it ends with a separator already). */
function separatorAfter(root: string): string {
  return root.endsWith('/') || root.endsWith('\\') ? '' : root.includes('\\') ? '\\' : '/';
}

/** Path components below `root`: a file directly inside it has depth 1. */
function depthBelow(canonical: string, root: string): number {
  return componentCount(canonical) - componentCount(root);
}

/** Only short alphanumeric extensions are kept in clear: anything else could carry a name. */
export function plainExtension(path: string): string {
  const ext = extname(path).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}
