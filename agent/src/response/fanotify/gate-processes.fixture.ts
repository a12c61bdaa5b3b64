// Real processes for the gate's tests: a locker (AES copies `<name>.locked`, originals
// deleted, as fast as it can) and a benign writer (plain text notes), each its own node
// process, started by the executable given (a hard link to node stands in for a backup tool).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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

// Rewrites every .bin file in place with random bytes of another length (3,000): a locker that keeps the names.
const REWRITER = `
const { randomBytes } = require('node:crypto');
const fs = require('node:fs'); const path = require('node:path');
const dir = process.argv[1];
for (const name of fs.readdirSync(dir).sort())
  if (name.endsWith('.bin')) try { fs.writeFileSync(path.join(dir, name), randomBytes(3000)); } catch {}`;

// Appends a line to a file (the collector then samples from where it grew).
const APPENDER = `require('node:fs').appendFileSync(process.argv[1], process.argv[2]);`;

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
  // Open to the other user of the per-user tests (the files stay root's, readable).
  chmodSync(root, 0o755);
  chmodSync(folder, 0o777);
  return { root, folder, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function run(executable: string, code: string, args: string[]): Promise<Exit> {
  const child = spawn(executable, ['-e', code, ...args], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (c, signal) => resolve({ code: c, signal })));
}

export const runLocker = (folder: string, executable = process.execPath) => run(executable, LOCKER, [folder]);
export const runWriter = (folder: string, count: number, executable = process.execPath) =>
  run(executable, WRITER, [folder, String(count)]);

export const runRewriter = (folder: string) => run(process.execPath, REWRITER, [folder]);
export const runAppend = (file: string, text: string) => run(process.execPath, APPENDER, [file, text]);

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

// The escape the per-user count closes: every encryptor in a group of its own. `setsid` makes a
// new session (and group) per file; the double fork (perl: fork, setpgrp, fork, exec) leaves each
// encryptor in a new group, re-parented to init, while the script waits for it to finish (the
// write end of a pipe, kept open across exec, closes when it ends).
const ENCRYPT_ONE = `openssl enc -aes-256-cbc -pbkdf2 -pass pass:ww -in "$0" -out "$0.locked" && rm -f "$0"`;
const SETSID_LOCKER = `for f in "$1"/*.txt; do setsid sh -c '${ENCRYPT_ONE}' "$f"; done`;
const DOUBLE_FORK =
  `$^F = 255; pipe(my $r, my $w) or die; if (my $p = fork) { close $w; waitpid($p, 0); <$r>; exit 0 } ` +
  `close $r; setpgrp(0, 0); exit 0 if fork; exec @ARGV or exit 1`;
const DOUBLE_FORK_LOCKER = `for f in "$1"/*.txt; do perl -e '${DOUBLE_FORK}' sh -c '${ENCRYPT_ONE}' "$f"; done`;
const SETSID_BACKUP = `for f in "$1"/*.txt; do setsid gzip -k "$f"; done`;
/** A user who saves a couple of encrypted files, a pause between them. */
const TWO_ENCRYPTED = `for f in "$1"/chart-000.txt "$1"/chart-001.txt; do setsid openssl enc -aes-256-cbc -pbkdf2 -pass pass:ww -in "$f" -out "$f.locked"; sleep 0.5; done`;

/** A user other than root for the gate's per-user tests (nobody on Debian and most others). */
export const OTHER_UID = 65_534;

function runScript(script: string, folder: string, uid?: number): Promise<Exit> {
  const child = spawn('/bin/sh', ['-c', script, 'sh', folder], {
    stdio: 'ignore',
    detached: true,
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  return new Promise((resolve) => child.on('exit', (c, signal) => resolve({ code: c, signal })));
}

export const runSpreadLocker = (folder: string) => runScript(SPREAD_LOCKER, folder);
export const runSpreadBackup = (folder: string) => runScript(SPREAD_BACKUP, folder);
export const runSetsidLocker = (folder: string, uid?: number) => runScript(SETSID_LOCKER, folder, uid);
export const runDoubleForkLocker = (folder: string, uid?: number) => runScript(DOUBLE_FORK_LOCKER, folder, uid);
export const runSetsidBackup = (folder: string, uid?: number) => runScript(SETSID_BACKUP, folder, uid);
export const runTwoEncrypted = (folder: string, uid?: number) => runScript(TWO_ENCRYPTED, folder, uid);
/** One shell command as `uid` (a write or a read in the folder), its exit code. */
export const runAs = (command: string, folder: string, uid?: number) => runScript(command, folder, uid);

/** Encrypted copies with content (a denied open may leave an empty file behind: it was created first). */
export const encryptedFiles = (folder: string) =>
  readdirSync(folder).filter((n) => n.endsWith('.locked') && statSync(join(folder, n)).size > 0).length;

export const lockedFiles = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.locked')).length;
