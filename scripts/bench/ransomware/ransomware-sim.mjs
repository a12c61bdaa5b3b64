#!/usr/bin/env node
// The attacker for the response benchmark (scripts/bench/response.bench.ts): a
// locker as plain as they come. For each file in a folder (sorted, recursively):
// read it, write an AES-256-CBC encrypted copy `<name>.locked` (random key and
// iv, thrown away), delete the original — as fast as it can, one file after the
// other. One JSON line per file goes to the log, with a high-resolution epoch
// timestamp taken when the encrypted copy is on disk, so the benchmark knows
// when the first encrypted file appeared and how many were changed before the
// process died (the log is written synchronously: what is in it happened).
//
//   node ransomware-sim.mjs --folder DIR --log FILE [--start-delay-ms N] [--pause-ms N] [--linger-ms N]
//
// --pause-ms N waits N ms after each file (a bigger file, a slower disk);
// --linger-ms N stays alive N ms after the last file, as a locker going on to the
// next folder would, so that a kill can still be seen when the folder is small.
//
// Plain .mjs on purpose: it runs as its own process with nothing but node.
import { createCipheriv, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    folder: { type: 'string' },
    log: { type: 'string' },
    'start-delay-ms': { type: 'string', default: '0' },
    'pause-ms': { type: 'string', default: '0' },
    'linger-ms': { type: 'string', default: '0' },
    // Holds each encrypted copy open this long between its two halves, as a locker streaming a
    // larger file through its cipher does (the benchmark's small files are written in one go).
    'hold-ms': { type: 'string', default: '0' },
  },
});
if (!values.folder || !values.log) {
  console.error('usage: ransomware-sim.mjs --folder DIR --log FILE [--start-delay-ms N] [--pause-ms N] [--hold-ms N]');
  process.exit(2);
}
const folder = values.folder;
const pauseMs = Number(values['pause-ms']);
const holdMs = Number(values['hold-ms']);
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const key = randomBytes(32);
const now = () => performance.timeOrigin + performance.now();

function list(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...list(path));
    else if (entry.isFile() && !entry.name.endsWith('.locked')) out.push(path);
  }
  return out;
}

const log = openSync(values.log, 'a');
const line = (record) => appendFileSync(log, `${JSON.stringify(record)}\n`);

function lockAll() {
  const files = list(folder);
  line({ event: 'start', pid: process.pid, files: files.length, t: now() });
  let n = 0;
  for (const path of files) {
    let plain;
    try {
      plain = readFileSync(path);
    } catch {
      continue; // gone (another run, or a benign process moved it)
    }
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final()]);
    if (holdMs > 0) {
      const fd = openSync(`${path}.locked`, 'w');
      writeSync(fd, sealed, 0, sealed.length >> 1);
      sleepSync(holdMs);
      writeSync(fd, sealed, sealed.length >> 1);
      closeSync(fd);
    } else writeFileSync(`${path}.locked`, sealed);
    const written = now();
    unlinkSync(path);
    n += 1;
    line({ event: 'locked', n, file: path, t: written, deletedAt: now() });
    if (pauseMs > 0) sleepSync(pauseMs);
  }
  line({ event: 'done', n, t: now() });
  closeSync(log);
  const linger = Number(values['linger-ms']);
  if (linger > 0) setTimeout(() => undefined, linger);
}

const delay = Number(values['start-delay-ms']);
if (delay > 0) setTimeout(lockAll, delay);
else lockAll();
