// Scores kept on disk from one run of the agent to the next (not yet acknowledged, or
// still waiting for pseudonym tokens): one JSON value a line, written at stop with mode
// 0600 (a waiting score holds clear values, as held-back events do), taken once at start.
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';

export async function keepLines(path: string, values: readonly unknown[]): Promise<void> {
  await writeFile(path, values.map((value) => JSON.stringify(value)).join('\n') + '\n', { mode: 0o600 });
}

/** The lines kept at `path` (none if there is no file); the file is removed. */
export async function takeLines(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  await rm(path, { force: true });
  return lines;
}
