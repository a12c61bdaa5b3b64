import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FolderFiles, KnownFiles, type Known } from './known-files';

describe('FolderFiles', () => {
  it('behaves as a plain map of name → stats under any sequence of scans, looks and deletes', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'é', 'a b', 'Z', 'bb', '10', '9', 'x'.repeat(40));
    const op = fc.oneof(
      fc.record({ kind: fc.constant('scan' as const), name }),
      fc.record({ kind: fc.constant('look' as const), name, size: fc.nat(5) }),
      fc.record({ kind: fc.constant('delete' as const), name }),
      fc.record({ kind: fc.constant('seal' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const folder = new FolderFiles();
        const model = new Map<string, Known | null>();
        for (const o of ops) {
          if (o.kind === 'seal') folder.seal();
          else if (o.kind === 'scan') {
            folder.set(o.name, null);
            if (!model.has(o.name)) model.set(o.name, null);
          } else if (o.kind === 'look') {
            const known = { size: o.size, mtimeMs: 1 };
            folder.set(o.name, known);
            model.set(o.name, known);
          } else expect(folder.delete(o.name)).toBe(model.delete(o.name));
          for (const n of ['a', 'b', 'c', 'é', 'a b', 'Z', 'bb', '10', '9', 'x'.repeat(40), 'absent'])
            expect(folder.get(n)).toEqual(model.get(n));
          expect(folder.size).toBe(model.size);
          expect(folder.names().sort()).toEqual([...model.keys()].sort());
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('KnownFiles', () => {
  it('finds the folders holding a name under any sequence of scans, looks, deletes and forgotten folders', () => {
    const dirs = ['/a', '/a/b', '/c'];
    const names = ['x.pdf', 'y.pdf', 'é.pdf', 'z'];
    const dir = fc.constantFrom(...dirs);
    const name = fc.constantFrom(...names);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('scan' as const), dir, name }),
      fc.record({ kind: fc.constant('look' as const), dir, name }),
      fc.record({ kind: fc.constant('delete' as const), dir, name }),
      fc.record({ kind: fc.constant('seal' as const), dir }),
      fc.record({ kind: fc.constant('forget' as const), dir }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const known = new KnownFiles();
        const model = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'seal') known.sealScan(o.dir);
          else if (o.kind === 'forget') {
            known.deleteFolders((d) => d === o.dir);
            for (const n of names) model.delete(`${o.dir}/${n}`);
          } else if (o.kind === 'delete') {
            known.delete(o.dir, o.name);
            model.delete(`${o.dir}/${o.name}`);
          } else {
            known.set(o.dir, o.name, o.kind === 'scan' ? null : { size: 1, mtimeMs: 1 });
            model.add(`${o.dir}/${o.name}`);
          }
          for (const n of [...names, 'absent']) {
            expect(known.foldersWith(n).sort()).toEqual(dirs.filter((d) => model.has(`${d}/${n}`)).sort());
            expect(known.foldersWith(n, '/a').sort()).toEqual(
              dirs.filter((d) => d !== '/a' && model.has(`${d}/${n}`)).sort(),
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('forgets whole folders and says what they held', () => {
    const known = new KnownFiles();
    known.set('/d', 'one', null);
    known.set('/d/sub', 'two', { size: 2, mtimeMs: 2 });
    known.set('/e', 'three', null);
    known.sealScan('/d');
    expect(known.deleteFolders((dir) => dir === '/d' || dir.startsWith('/d/'))).toEqual([
      ['/d', ['one']],
      ['/d/sub', ['two']],
    ]);
    expect(known.get('/d', 'one')).toBeUndefined();
    expect(known.get('/e', 'three')).toBeNull();
  });

  it('drops a folder once its last file is deleted', () => {
    const known = new KnownFiles();
    known.set('/d', 'one', null);
    known.sealScan('/d');
    expect(known.delete('/d', 'one')).toBe(true);
    expect(known.delete('/d', 'one')).toBe(false);
    expect(known.names('/d')).toEqual([]);
  });
});
