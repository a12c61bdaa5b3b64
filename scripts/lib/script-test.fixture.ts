// What the scripts' tests share: temporary folders removed after each test, and
// a command run as a newcomer runs it (node with tsx, from source).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Call once at a test file's top level; each folder it makes is removed after the test that made it. */
export function tempFolders(): (prefix: string) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    for (const folder of made.splice(0)) await rm(folder, { recursive: true, force: true });
  });
  return async (prefix) => {
    const folder = await mkdtemp(join(tmpdir(), `ww-${prefix}-`));
    made.push(folder);
    return folder;
  };
}

/** Writes `lines`, one per line, to `name` in `folder`; returns its path. */
export async function linesFile(folder: string, name: string, lines: readonly string[]): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** Runs a script's command to its end: exit status, stdout and stderr as text. */
export function runScript(path: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', path, ...args], { encoding: 'utf8' });
}
