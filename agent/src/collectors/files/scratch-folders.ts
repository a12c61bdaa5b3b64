// The machine's shared scratch folders (`/tmp`, `/var/tmp`, `C:\Windows\Temp`):
// where a chart is staged before `scp`, a mail or an upload takes it (`cp chart.pdf /tmp/x`),
// writable by everyone and in no profile. Watched like a profile's save folders: patient data
// arriving only, a few levels down (build trees and caches churn below that).
import { lstat } from 'node:fs/promises';
import type { WatchedFolder } from './file-collector';

/** Where a platform's shared scratch space is. */
export function defaultScratchFolders(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['C:\\Windows\\Temp'];
  if (platform === 'darwin') return ['/private/tmp', '/private/var/tmp'];
  // Not /dev/shm: browsers make and drop shared-memory files there all day (an EHR runs in one).
  return ['/tmp', '/var/tmp'];
}

/** Those of `paths` that are folders now (a link is not followed: it could lead anywhere). */
export async function findScratchFolders(paths: readonly string[], maxDepth: number): Promise<WatchedFolder[]> {
  const found: WatchedFolder[] = [];
  for (const path of paths) {
    const stats = await lstat(path).catch(() => null);
    if (stats?.isDirectory()) found.push({ path, class: 'other', copiesOnly: true, maxDepth });
  }
  return found;
}
