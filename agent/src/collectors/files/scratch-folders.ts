// The machine's shared scratch folders (`/tmp`, `/var/tmp`, `C:\Windows\Temp`) and, on macOS,
// each user's own (`/private/var/folders/xx/…/T`, what $TMPDIR names): where a chart is staged
// before `scp`, a mail or an upload takes it (`cp chart.pdf /tmp/x`), in no profile. Watched like
// a profile's save folders: patient data arriving only, a few levels down (build trees and caches
// churn below that).
import { lstat, readdir } from 'node:fs/promises';
import { join, parse, sep } from 'node:path';
import type { WatchedFolder } from './watched-folder';

/** Folders one pattern may name: a `*` under a folder of thousands is a mistake, not a scratch space. */
export const MAX_MATCHES_PER_PATH = 64;

/** Where a platform's shared scratch space is; a `*` segment stands for any one folder. */
export function defaultScratchFolders(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['C:\\Windows\\Temp'];
  // Per user: /private/var/folders/<2 characters>/<random>/T, made by the system for each account.
  if (platform === 'darwin') return ['/private/tmp', '/private/var/tmp', '/private/var/folders/*/*/T'];
  // Not /dev/shm: browsers make and drop shared-memory files there all day (an EHR runs in one).
  return ['/tmp', '/var/tmp'];
}

/** Those of `paths` that are folders now, `*` segments matched; a link is not followed (it could lead anywhere). */
export async function findScratchFolders(paths: readonly string[], maxDepth: number): Promise<WatchedFolder[]> {
  const found: WatchedFolder[] = [];
  for (const path of paths)
    for (const folder of await matchingFolders(path))
      found.push({ path: folder, class: 'other', copiesOnly: true, maxDepth });
  return found;
}

/**
 * The folders `pattern` names, in name order, at most MAX_MATCHES_PER_PATH. A `*` matches folders
 * only (not links); a named part is taken as written (a link above the last part is followed, as
 * the OS does for a path), and the last must be a folder.
 */
async function matchingFolders(pattern: string): Promise<string[]> {
  const { root } = parse(pattern);
  let paths = [root];
  for (const segment of pattern
    .slice(root.length)
    .split(sep)
    .filter((s) => s !== '')) {
    if (segment !== '*') {
      paths = paths.map((path) => join(path, segment));
      continue;
    }
    const next: string[] = [];
    for (const path of paths) {
      next.push(...(await folderNames(path)).map((name) => join(path, name)));
      if (next.length >= MAX_MATCHES_PER_PATH) break;
    }
    paths = next.slice(0, MAX_MATCHES_PER_PATH);
  }
  const folders: string[] = [];
  for (const path of paths) if ((await lstat(path).catch(() => null))?.isDirectory()) folders.push(path);
  return folders;
}

async function folderNames(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
