// Re-wrap after a KEK rotation, on the agent: every sealed file under the given folders whose
// key slot is of an older version of this KEK gets the data key wrapped under the current
// version, by the manager (RewrapDataKeys: it unwraps with the old private half and wraps
// with the new public half; the data key never reaches the agent). Only the fixed-size key
// slot is rewritten (rewriteKeySlot): the data is neither read nor re-encrypted. Batches of
// at most 256 keys (the call's limit); a file the manager refuses is counted, not fatal.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SEALED_SUFFIX, type SealedHeader } from './sealed-header';
import { readSealedHeader, rewriteKeySlot, type SealingKek } from './sealed-file';

export const REWRAP_BATCH = 256;

export interface RewrapCall {
  (
    keyId: string,
    keys: { kekVersion: number; wrappedKey: Buffer; headerDigest: Buffer }[],
  ): Promise<{ kekVersion: number; results: { wrappedKey: Buffer | null; error: string }[] }>;
}

export interface RewrapReport {
  rewrapped: number;
  current: number;
  failed: number;
}

export async function rewrapFolders(
  folders: readonly string[],
  kek: SealingKek,
  rewrap: RewrapCall,
  maxDepth = 8,
): Promise<RewrapReport> {
  const report: RewrapReport = { rewrapped: 0, current: 0, failed: 0 };
  const stale: { path: string; header: SealedHeader }[] = [];
  for (const folder of folders) await collect(folder, 0, maxDepth, kek, stale, report);
  for (let i = 0; i < stale.length; i += REWRAP_BATCH) {
    const batch = stale.slice(i, i + REWRAP_BATCH);
    const answer = await rewrap(
      kek.keyId,
      batch.map(({ header }) => ({
        kekVersion: header.kekVersion,
        wrappedKey: header.wrappedKey,
        headerDigest: header.digest,
      })),
    );
    for (const [index, { path, header }] of batch.entries()) {
      const result = answer.results[index];
      if (!result?.wrappedKey) {
        report.failed += 1;
        continue;
      }
      try {
        await rewriteKeySlot(path, header.digest, { kekVersion: answer.kekVersion, wrappedKey: result.wrappedKey });
        report.rewrapped += 1;
      } catch {
        report.failed += 1;
      }
    }
  }
  return report;
}

async function collect(
  folder: string,
  depth: number,
  maxDepth: number,
  kek: SealingKek,
  stale: { path: string; header: SealedHeader }[],
  report: RewrapReport,
): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (depth < maxDepth) await collect(path, depth + 1, maxDepth, kek, stale, report);
      continue;
    }
    if (!entry.isFile() || !entry.name.endsWith(SEALED_SUFFIX)) continue;
    const header = await readSealedHeader(path).catch(() => null);
    if (!header || header.keyId !== kek.keyId) {
      if (header === null) report.failed += 1;
      continue;
    }
    if (header.kekVersion >= kek.version) report.current += 1;
    else stale.push({ path, header });
  }
}
