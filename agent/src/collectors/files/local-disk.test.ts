import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleEntropySync } from './entropy';
import { FileSystemKinds, onNetworkFileSystem } from './local-disk';

describe('FileSystemKinds', () => {
  it('treats paths under a network folder as remote, and everything else as local', () => {
    const kinds = new FileSystemKinds((path) => path === '/mnt/share');
    kinds.learn('/srv/records');
    kinds.learn('/mnt/share');
    expect(kinds.isLocal('/srv/records/a.pdf')).toBe(true);
    expect(kinds.isLocal('/mnt/share/ward/a.pdf')).toBe(false);
    expect(kinds.isLocal('/mnt/shared-local/a.pdf')).toBe(true); // a prefix of the name is not the folder
  });

  it('forgets a folder that comes back on a local disk', () => {
    let remote = true;
    const kinds = new FileSystemKinds(() => remote);
    kinds.learn('/mnt/x');
    remote = false;
    kinds.learn('/mnt/x');
    expect(kinds.isLocal('/mnt/x/a')).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'sees this machine’s temporary folder as local, and a missing path as remote (the safe side)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ww-fs-'));
      try {
        expect(onNetworkFileSystem(dir)).toBe(false);
        expect(onNetworkFileSystem(join(dir, 'missing'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
  );
});

describe('sampleEntropySync', () => {
  it.runIf(process.platform === 'linux')('samples from an offset and leaves the access time alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-sample-'));
    try {
      const path = join(dir, 'a.bin');
      writeFileSync(path, Buffer.concat([Buffer.alloc(100, 7), Buffer.from([0, 1, 0, 1])]));
      utimesSync(path, new Date(1_000_000), new Date(2_000_000)); // atime before mtime: a plain read would update it
      expect(sampleEntropySync(path, 100)).toBe(1);
      expect(sampleEntropySync(path, 0)).toBeGreaterThan(0);
      expect(sampleEntropySync(join(dir, 'missing'), 0)).toBe(-1);
      expect(statSync(path).atimeMs).toBe(1_000_000);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
