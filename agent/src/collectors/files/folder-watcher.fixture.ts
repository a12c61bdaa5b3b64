// A folder watcher on real fs.watch that runs out of OS watches past `limit` folders watched at
// once, as inotify does past `max_user_watches`: what the collector does then is tested without
// spending them. A watch closed frees its place; raising `limit` is an admin raising the OS's.
import { watch, type FSWatcher } from 'node:fs';
import { fsFolderWatcher, type FolderWatcher } from './folder-watcher';

export function watcherRunningOutAfter(watches: number): FolderWatcher & { limit: number } {
  let open = 0;
  const limited = ((...args: Parameters<typeof watch>) => {
    if (open >= state.limit)
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    const watcher: FSWatcher = watch(...args);
    open += 1;
    const close = watcher.close.bind(watcher);
    let closed = false;
    watcher.close = () => {
      if (!closed) open -= 1;
      closed = true;
      close();
    };
    return watcher;
  }) as typeof watch;
  const state = Object.assign(fsFolderWatcher(limited), { limit: watches });
  return state;
}
