// Real files in a temporary folder: which patient file a new file copies.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COPY_COMPARE_BYTES, copiedFrom, copiedFromAsync, MAX_COPY_CANDIDATES } from './copy-lineage';

const root = mkdtempSync(join(tmpdir(), 'ww-copy-lineage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fileIn = (name: string, content: Buffer) => {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
};

// The same answers on local disks (synchronous) and on network shares (asynchronous).
describe.each([
  [
    'copiedFrom',
    (path: string, size: number, candidates: string[]) => Promise.resolve(copiedFrom(path, size, candidates)),
  ],
  ['copiedFromAsync', copiedFromAsync],
] as const)('%s', (name, copiedFromAny) => {
  const file = (base: string, content: Buffer) => fileIn(`${name}-${base}`, content);
  const content = randomBytes(COPY_COMPARE_BYTES + 5_000);
  const copy = file('copy.pdf', content);

  it('names the candidate with the same size and first bytes', async () => {
    const other = file('other.pdf', randomBytes(content.length));
    const source = file('source.pdf', content);
    expect(await copiedFromAny(copy, content.length, [other, source])).toBe(source);
  });

  it('finds none for another size, other first bytes, a missing or empty file', async () => {
    const longer = file('longer.pdf', Buffer.concat([content, Buffer.from('x')]));
    const tail = Buffer.from(content);
    tail[0] ^= 1;
    const changed = file('changed.pdf', tail);
    expect(
      await copiedFromAny(copy, content.length, [longer, changed, join(root, `${name}-gone.pdf`)]),
    ).toBeUndefined();
    const empty = file('empty.pdf', Buffer.alloc(0));
    expect(await copiedFromAny(empty, 0, [empty])).toBeUndefined();
  });

  it(`looks at ${MAX_COPY_CANDIDATES} candidates at most`, async () => {
    const decoys = Array.from({ length: MAX_COPY_CANDIDATES }, (_, i) =>
      file(`decoy${i}.pdf`, randomBytes(content.length)),
    );
    const source = file('late.pdf', content);
    expect(await copiedFromAny(copy, content.length, [...decoys, source])).toBeUndefined();
    expect(await copiedFromAny(copy, content.length, [...decoys.slice(1), source])).toBe(source);
  });
});
