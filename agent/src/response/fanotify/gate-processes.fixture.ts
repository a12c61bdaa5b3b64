// Real processes for the gate's tests: a locker (AES copies `<name>.locked`, originals
// deleted, as fast as it can) and a benign writer (plain text notes), each its own node
// process, started by the executable given (a hard link to node stands in for a backup tool).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

/** `varied`: text that does not compress below the gate's 512-byte sample (base64 of random bytes). */
export function tempFolder(
  prefix: string,
  files: number,
  content: 'repetitive' | 'varied' = 'repetitive',
): { root: string; folder: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const folder = join(root, 'records');
  mkdirSync(folder);
  for (let i = 0; i < files; i++)
    writeFileSync(
      join(folder, `chart-${String(i).padStart(3, '0')}.txt`),
      content === 'varied'
        ? `Patient chart ${i}: ${randomBytes(3_000).toString('base64')}\n`
        : `Patient chart ${i}: observations.\n`.repeat(80),
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

// A shell script that starts one short-lived process per file, in its own process group (as a
// job started from a shell, or a detached script): a locker spreading its files over many
// processes (one openssl per file), and a backup script (one gzip per file, originals kept).
const SPREAD_LOCKER = `for f in "$1"/*.txt; do openssl enc -aes-256-cbc -pbkdf2 -pass pass:ww -in "$f" -out "$f.locked" && rm -f "$f"; done`;
const SPREAD_BACKUP = `for f in "$1"/*.txt; do gzip -k "$f"; done`;

function runScript(script: string, folder: string): Promise<Exit> {
  const child = spawn('/bin/sh', ['-c', script, 'sh', folder], { stdio: 'ignore', detached: true });
  return new Promise((resolve) => child.on('exit', (c, signal) => resolve({ code: c, signal })));
}

export const runSpreadLocker = (folder: string) => runScript(SPREAD_LOCKER, folder);
export const runSpreadBackup = (folder: string) => runScript(SPREAD_BACKUP, folder);

export const lockedFiles = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.locked')).length;
