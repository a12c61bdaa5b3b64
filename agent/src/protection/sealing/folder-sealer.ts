// Seals every regular file under the folders a policy names (for the policy engine):
// files already sealed (by suffix or by their header) and our own temporary files are
// skipped, links are never followed, and one file that fails does not stop the rest.
// Bounded: at most `maxDepth` folder levels and `maxFiles` files a run, so a hostile or
// huge tree cannot pin the agent; what is left is sealed by the next run.
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sealFile, TEMP_MARK, type SealingKek } from './sealed-file';
import { SEALED_MAGIC as MAGIC, SEALED_SUFFIX } from './sealed-header';

export interface FolderSealerOptions {
  /** The current KEK (from the manager, or the copy kept on disk when offline). */
  kek: () => Promise<SealingKek>;
  chunkBytes?: number;
  maxDepth?: number;
  maxFiles?: number;
  /** A file changed within this many ms is skipped (still being written); the next run takes it. */
  settleMs?: number;
  now?: () => number;
}

export interface FolderSealReport {
  sealed: string[];
  skipped: number;
  failed: { path: string; error: string }[];
  /** True when maxFiles stopped the run before every file was seen. */
  truncated: boolean;
}

export class FolderSealer {
  constructor(private readonly options: FolderSealerOptions) {}

  async sealFolders(folders: readonly string[], policyVersion: number): Promise<FolderSealReport> {
    const kek = await this.options.kek();
    const report: FolderSealReport = { sealed: [], skipped: 0, failed: [], truncated: false };
    const budget = { files: this.options.maxFiles ?? 10_000 };
    for (const folder of folders) await this.walk(folder, 0, kek, policyVersion, report, budget);
    return report;
  }

  private async walk(
    folder: string,
    depth: number,
    kek: SealingKek,
    policyVersion: number,
    report: FolderSealReport,
    budget: { files: number },
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
        if (depth < (this.options.maxDepth ?? 8)) await this.walk(path, depth + 1, kek, policyVersion, report, budget);
        continue;
      }
      if (!entry.isFile()) continue; // links, sockets, devices: never
      if (budget.files <= 0) {
        report.truncated = true;
        return;
      }
      budget.files -= 1;
      if (
        entry.name.endsWith(SEALED_SUFFIX) ||
        entry.name.includes(TEMP_MARK) ||
        (await this.unsettled(path)) ||
        (await startsSealed(path))
      ) {
        report.skipped += 1;
        continue;
      }
      try {
        report.sealed.push(await sealFile(path, kek, { policyVersion, chunkBytes: this.options.chunkBytes }));
      } catch (error) {
        report.failed.push({ path, error: (error as Error).message });
      }
    }
  }

  private async unsettled(path: string): Promise<boolean> {
    const settleMs = this.options.settleMs ?? 0;
    if (settleMs <= 0) return false;
    const stat = await lstat(path).catch(() => null);
    return stat !== null && (this.options.now ?? Date.now)() - stat.mtimeMs < settleMs;
  }
}

async function startsSealed(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const start = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return bytesRead === MAGIC.length && start.equals(MAGIC);
  } finally {
    await handle.close();
  }
}
