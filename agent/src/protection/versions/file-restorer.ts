// Puts a protected folder back as it was before a time (the first suspicious
// change): every file changed or deleted since then gets its last version from
// before that time; a file created since then is removed only if it matches the
// attack's pattern (an extension the request names) AND it is known to be new.
//
// What "known to be new" means, and why it is strict: a file is removed only when
// it has no version from before the time and either the watcher saw it created at
// or after the time, or the file system's birth time says so. A file without any
// version whose creation cannot be proven after the time is left alone: a restore
// never deletes what may have been there before.
//
// Files are compared by content (content id), not by mtime, which a process sets at
// will. Paths never leave this module in a report: counts only.
import { extname, sep } from 'node:path';
import type { ProtectedFiles } from './protected-files';
import { VersionUnreadableError, type VersionStore } from './version-store';

const PARALLEL = 8;

export interface RestoreRequest {
  /** Protected folders (or folders under one) to put back. */
  folders: readonly string[];
  /** Epoch ms of the first suspicious change. */
  since: number;
  /** Extensions (".locked") of the attack's new files; those created since `since` are removed. */
  removeCreatedExtensions: readonly string[];
  dryRun: boolean;
}

export interface RestoreReport {
  /** Files with a version from before the time whose content differs now, or that are gone. */
  changed: number;
  restored: number;
  /** Changed, but their version could not be read (tampered or evicted) or written back. */
  failed: number;
  /** New since the time, matching the pattern, removed. */
  removed: number;
  /** New since the time, not matching the pattern: kept. */
  keptNew: number;
  /** Copied only after the time and not proven new: no earlier content to put back. */
  noEarlierVersion: number;
  unchanged: number;
  durationMs: number;
}

export interface RestoreDeps {
  store: VersionStore;
  files: ProtectedFiles;
  /** When the file was seen created, or null (version-watcher.ts). */
  createdAt(path: string): number | null;
  maxFileBytes: number;
  /** Files looked at per folder (bound on a hostile folder). */
  maxFiles?: number;
  now?: () => number;
}

export async function restoreFiles(request: RestoreRequest, deps: RestoreDeps): Promise<RestoreReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const report: RestoreReport = {
    changed: 0,
    restored: 0,
    failed: 0,
    removed: 0,
    keptNew: 0,
    noEarlierVersion: 0,
    unchanged: 0,
    durationMs: 0,
  };
  const prefixes = request.folders.map((f) => (f.endsWith(sep) ? f : f + sep));
  const under = (path: string) => prefixes.some((p) => path.startsWith(p));
  const rootOf = (path: string) => request.folders[prefixes.findIndex((p) => path.startsWith(p))];
  const extensions = new Set(request.removeCreatedExtensions.map((e) => e.toLowerCase()));
  const index = deps.store.versions;
  const handled = new Set<string>();

  // Every file with a version from before the time: put back if it differs or is gone.
  // A few at a time: each write is fsynced, and the disk takes several at once.
  const known = [...index.paths()].filter(under);
  await inParallel(known, PARALLEL, async (path) => {
    const base = index.before(path, request.since);
    if (!base) return;
    handled.add(path);
    const facts = await deps.files.stat(path);
    if (facts && facts.size === base.size) {
      const current = await deps.files.read(path, deps.maxFileBytes);
      if (current && deps.store.idOf(current) === base.id) {
        report.unchanged += 1;
        return;
      }
    }
    report.changed += 1;
    if (request.dryRun) return;
    try {
      await deps.files.replace(path, await deps.store.contentOf(base), base.mode, rootOf(path));
      report.restored += 1;
    } catch (error) {
      if (!(error instanceof VersionUnreadableError) && !isFileError(error)) throw error;
      report.failed += 1;
    }
  });

  // Files there now without a version from before the time: new (maybe removed) or unknown (kept).
  for (const folder of request.folders) {
    for (const path of await deps.files.list(folder, deps.maxFiles ?? 200_000)) {
      if (handled.has(path)) continue;
      handled.add(path);
      const facts = await deps.files.stat(path);
      if (!facts) continue;
      const seenCreated = deps.createdAt(path);
      const born = seenCreated ?? (facts.birthtimeMs > 0 ? facts.birthtimeMs : null);
      const isNew = born !== null && born >= request.since;
      if (!isNew) {
        if (index.latest(path)) report.noEarlierVersion += 1;
        continue;
      }
      if (!extensions.has(extname(path).toLowerCase())) {
        report.keptNew += 1;
        continue;
      }
      try {
        if (!request.dryRun) await deps.files.remove(path, folder);
        report.removed += 1;
      } catch (error) {
        if (!isFileError(error)) throw error;
        report.failed += 1;
      }
    }
  }
  report.durationMs = now() - started;
  return report;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function isFileError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.code === 'string';
}
