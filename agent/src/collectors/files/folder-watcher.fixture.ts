// A folder watcher on real fs.watch that runs out of OS watches after `watches` folders, as inotify
// does past `max_user_watches`: what the collector does then is tested without spending them.
import { watch } from 'node:fs';
import { fsFolderWatcher, type FolderWatcher } from './folder-watcher';

export function watcherRunningOutAfter(watches: number): FolderWatcher {
  let calls = 0;
  const limited = ((...args: Parameters<typeof watch>) => {
    if (++calls > watches)
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    return watch(...args);
  }) as typeof watch;
  return fsFolderWatcher(limited);
}
