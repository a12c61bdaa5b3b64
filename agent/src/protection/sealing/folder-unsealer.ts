// The bulk unseal of a tier drop (issue #9, item 5): every `.wwsealed` file under the
// folders is opened again in place — the clear file under its original name, then the
// sealed one removed. Each data key is unwrapped by the manager, which writes one
// `seal.unwrap` audit row per file (the reason names the tier change): a clear copy of
// patient data is a disclosure, so the trail stays per file, exactly as for one open.
//
// Invariants: the sealed file is removed only after its clear file is complete on disk
// (unsealFile writes atomically and refuses to overwrite); a file that fails stays sealed
// and is counted; links are never followed; at most `maxFiles` files a run (what is left
// is taken by the next run), so a huge tree cannot flood the manager.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { unsealFile, type UnwrapDataKey } from './sealed-file';
import { SEALED_SUFFIX } from './sealed-header';

export interface FolderUnsealReport {
  unsealed: number;
  failed: { path: string; error: string }[];
  /** True when maxFiles stopped the run before every file was seen. */
  truncated: boolean;
}

export interface FolderUnsealerOptions {
  /** The manager's unwrap, audited with this reason (and the workstation as the one who opened). */
  unwrap: (reason: string) => UnwrapDataKey;
  maxDepth?: number;
  maxFiles?: number;
}

export class FolderUnsealer {
  constructor(private readonly options: FolderUnsealerOptions) {}

  /** `kept`: folders still sealed by the tier in force; never entered, even under one of `folders`. */
  async unsealFolders(
    folders: readonly string[],
    reason: string,
    kept: readonly string[] = [],
  ): Promise<FolderUnsealReport> {
    const report: FolderUnsealReport = { unsealed: 0, failed: [], truncated: false };
    const budget = { files: this.options.maxFiles ?? 2_000, kept: new Set(kept) };
    const unwrap = this.options.unwrap(reason);
    for (const folder of folders) await this.walk(folder, 0, unwrap, report, budget);
    return report;
  }

  private async walk(
    folder: string,
    depth: number,
    unwrap: UnwrapDataKey,
    report: FolderUnsealReport,
    budget: { files: number; kept: ReadonlySet<string> },
  ): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      report.failed.push({ path: folder, error: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (budget.kept.has(path)) continue;
        if (depth < (this.options.maxDepth ?? 8)) await this.walk(path, depth + 1, unwrap, report, budget);
        continue;
      }
      if (!entry.isFile() || !entry.name.endsWith(SEALED_SUFFIX)) continue;
      if (budget.files <= 0) {
        report.truncated = true;
        return;
      }
      budget.files -= 1;
      try {
        await unsealFile(path, path.slice(0, -SEALED_SUFFIX.length), unwrap);
        await unlink(path);
        report.unsealed += 1;
      } catch (error) {
        report.failed.push({ path, error: (error as Error).message });
      }
    }
  }
}
