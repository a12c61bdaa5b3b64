// Real processes for the gate's tests: a locker (AES copies `<name>.locked`, originals
// deleted, as fast as it can) and a benign writer (plain text notes), each its own node
// process, started by the executable given (a hard link to node stands in for a backup tool).
import { spawn } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCKER = `
const { createCipheriv, randomBytes } = require('node:crypto');
const fs = require('node:fs'); const path = require('node:path');
const dir = process.argv[1]; const key = randomBytes(32);
for (const name of fs.readdirSync(dir).sort()) {
  const file = path.join(dir, name);
  let plain; try { plain = fs.readFileSync(file); } catch { continue; }
  const iv = randomBytes(16); const c = createCipheriv('aes-256-cbc', key, iv);
  try { fs.writeFileSync(file + '.locked', Buffer.concat([iv, c.update(plain), c.final()])); fs.unlinkSync(file); } catch {}
}`;

const WRITER = `
const fs = require('node:fs'); const path = require('node:path');
const [dir, count] = [process.argv[1], Number(process.argv[2])];
for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, 'note-' + i + '.txt'), ('Ward 3 round ' + i + ': stable, plan unchanged.\\n').repeat(60));`;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function tempFolder(prefix: string, files: number): { root: string; folder: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const folder = join(root, 'records');
  mkdirSync(folder);
  for (let i = 0; i < files; i++)
    writeFileSync(
      join(folder, `chart-${String(i).padStart(3, '0')}.txt`),
      `Patient chart ${i}: observations.\n`.repeat(80),
    );
  return { root, folder, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function run(executable: string, code: string, args: string[]): Promise<Exit> {
  const child = spawn(executable, ['-e', code, ...args], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (c, signal) => resolve({ code: c, signal })));
}

export const runLocker = (folder: string, executable = process.execPath) => run(executable, LOCKER, [folder]);
export const runWriter = (folder: string, count: number, executable = process.execPath) =>
  run(executable, WRITER, [folder, String(count)]);

/** node under another name and path (a hard link, a copy across file systems). */
export function nodeAs(dir: string, name: string): string {
  const path = join(dir, name);
  try {
    linkSync(process.execPath, path);
  } catch {
    copyFileSync(process.execPath, path);
  }
  return path;
}

export const lockedFiles = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.locked')).length;
