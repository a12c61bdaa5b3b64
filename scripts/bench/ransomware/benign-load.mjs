#!/usr/bin/env node
// Benign load for the response benchmark: a member of staff's day, sped up —
// saves ordinary documents (text notes, PDFs and .docx-like compressed files
// under new names), edits notes in place, and now and then unpacks a handful of
// compressed files: everything the ransomware rule must stay silent on. Runs
// until killed; one JSON line per file to --log if given.
//
//   node benign-load.mjs --folder DIR [--log FILE] [--every-ms N]
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';

const { values } = parseArgs({
  options: { folder: { type: 'string' }, log: { type: 'string' }, 'every-ms': { type: 'string', default: '50' } },
});
if (!values.folder) {
  console.error('usage: benign-load.mjs --folder DIR [--log FILE] [--every-ms N]');
  process.exit(2);
}
const folder = join(values.folder, 'benign');
mkdirSync(folder, { recursive: true });
const note = (i) => `Ward round ${i}: patient comfortable, observations stable, plan unchanged.\n`.repeat(30);
let i = 0;
const step = () => {
  i += 1;
  const kind = i % 4;
  let name;
  if (kind === 0)
    writeFileSync(join(folder, (name = `note-${i % 20}.txt`)), note(i)); // edited in place
  else if (kind === 1)
    writeFileSync(join(folder, (name = `scan-${i}.pdf`)), randomBytes(12_000)); // a scan: high entropy
  else if (kind === 2) writeFileSync(join(folder, (name = `letter-${i}.docx`)), deflateSync(Buffer.from(note(i) + i)));
  else {
    const dir = join(folder, `unzipped-${i}`);
    mkdirSync(dir);
    for (let k = 0; k < 5; k++) writeFileSync(join(dir, `photo-${k}.jpg`), randomBytes(6_000));
    name = `unzipped-${i}/`;
  }
  if (values.log) appendFileSync(values.log, `${JSON.stringify({ event: 'saved', file: name, t: Date.now() })}\n`);
};
setInterval(step, Number(values['every-ms']));
