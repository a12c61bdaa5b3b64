import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FolderFiles, KnownFiles, type Known } from './known-files';

describe('FolderFiles', () => {
  it('behaves as a plain map of name → stats and size under any sequence of scans, looks and deletes', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'é', 'a b', 'Z', 'bb', '10', '9', 'x'.repeat(40));
    // A scan takes a size, or none (NaN: a folder whose sizes are not taken).
    const op = fc.oneof(
      fc.record({ kind: fc.constant('scan' as const), name, size: fc.oneof(fc.nat(5), fc.constant(NaN)) }),
      fc.record({ kind: fc.constant('look' as const), name, size: fc.nat(5) }),
      fc.record({ kind: fc.constant('delete' as const), name }),
      fc.record({ kind: fc.constant('seal' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const folder = new FolderFiles();
        const model = new Map<string, Known | null>();
        const sizes = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'seal') folder.seal();
          else if (o.kind === 'scan') {
            expect(folder.scan(o.name, o.size)).toBe(!model.has(o.name));
            if (!model.has(o.name)) {
              model.set(o.name, null);
              sizes.set(o.name, o.size);
            }
          } else if (o.kind === 'look') {
            const known = { size: o.size, mtimeMs: 1 };
            folder.set(o.name, known);
            model.set(o.name, known);
            sizes.set(o.name, o.size);
          } else expect(folder.delete(o.name)).toBe(model.delete(o.name) && sizes.delete(o.name));
          for (const n of ['a', 'b', 'c', 'é', 'a b', 'Z', 'bb', '10', '9', 'x'.repeat(40), 'absent']) {
            expect(folder.get(n)).toEqual(model.get(n));
            expect(folder.sizeOf(n)).toEqual(sizes.get(n));
          }
          expect(folder.size).toBe(model.size);
          expect(folder.names().sort()).toEqual([...model.keys()].sort());
          for (const size of [0, 1, 2, 5, NaN])
            expect(folder.namesOfSize(size).sort()).toEqual(
              [...sizes]
                .filter(([, s]) => s === size)
                .map(([n]) => n)
                .sort(),
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('KnownFiles', () => {
  it('finds the folders holding a name, and the files of a size, under any sequence of scans, looks, deletes and forgotten folders', () => {
    const dirs = ['/a', '/a/b', '/c'];
    const names = ['x.pdf', 'y.pdf', 'é.pdf', 'z'];
    const dir = fc.constantFrom(...dirs);
    const name = fc.constantFrom(...names);
    const size = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(NaN));
    const op = fc.oneof(
      fc.record({ kind: fc.constant('scan' as const), dir, name, size }),
      fc.record({ kind: fc.constant('look' as const), dir, name, size: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const), dir, name }),
      fc.record({ kind: fc.constant('seal' as const), dir }),
      fc.record({ kind: fc.constant('forget' as const), dir }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const known = new KnownFiles();
        const model = new Map<string, number>(); // path → size
        for (const o of ops) {
          const path = `${o.dir}/${'name' in o ? o.name : ''}`;
          if (o.kind === 'seal') known.sealScan(o.dir);
          else if (o.kind === 'forget') {
            known.deleteFolders((d) => d === o.dir);
            for (const n of names) model.delete(`${o.dir}/${n}`);
          } else if (o.kind === 'delete') {
            known.delete(o.dir, o.name);
            model.delete(path);
          } else if (o.kind === 'scan') {
            known.scanned(o.dir, o.name, o.size);
            if (!model.has(path)) model.set(path, o.size);
          } else {
            known.set(o.dir, o.name, { size: o.size, mtimeMs: 1 });
            model.set(path, o.size);
          }
          for (const n of [...names, 'absent']) {
            expect(known.foldersWith(n).sort()).toEqual(dirs.filter((d) => model.has(`${d}/${n}`)).sort());
            expect(known.foldersWith(n, '/a').sort()).toEqual(
              dirs.filter((d) => d !== '/a' && model.has(`${d}/${n}`)).sort(),
            );
          }
          for (const s of [1, 2, 3, 4]) {
            const found = known.filesOfSize(s, (d) => d !== '/c', 100).map(([d, n]) => `${d}/${n}`);
            expect(found.sort()).toEqual(
              [...model]
                .filter(([p, ps]) => ps === s && !p.startsWith('/c/'))
                .map(([p]) => p)
                .sort(),
            );
            expect(known.filesOfSize(s, () => true, 1).length).toBe([...model.values()].some((ps) => ps === s) ? 1 : 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('forgets whole folders and says what they held', () => {
    const known = new KnownFiles();
    known.scanned('/d', 'one', 7);
    known.set('/d/sub', 'two', { size: 2, mtimeMs: 2 });
    known.scanned('/e', 'three');
    known.sealScan('/d');
    expect(known.deleteFolders((dir) => dir === '/d' || dir.startsWith('/d/'))).toEqual([
      ['/d', ['one']],
      ['/d/sub', ['two']],
    ]);
    expect(known.get('/d', 'one')).toBeUndefined();
    expect(known.get('/e', 'three')).toBeNull();
    expect(known.filesOfSize(7, () => true, 10)).toEqual([]);
    expect(known.filesOfSize(2, () => true, 10)).toEqual([]);
  });

  it('drops a folder once its last file is deleted', () => {
    const known = new KnownFiles();
    known.scanned('/d', 'one');
    known.sealScan('/d');
    expect(known.delete('/d', 'one')).toBe(true);
    expect(known.delete('/d', 'one')).toBe(false);
    expect(known.names('/d')).toEqual([]);
  });
});
