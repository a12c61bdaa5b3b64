import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemovedLog } from './removed-log';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'removed-log-'));
  dirs.push(dir);
  return dir;
}

describe('RemovedLog', () => {
  it('reads back what was appended, ids past 2^32 included', () => {
    const dir = folder();
    expect(RemovedLog.read(dir)).toEqual(new Set()); // no log yet
    const log = new RemovedLog(dir, [3]);
    log.append([5, 2 ** 40 + 7]);
    log.close();
    expect(RemovedLog.read(dir)).toEqual(new Set([3, 5, 2 ** 40 + 7]));
    expect(statSync(join(dir, 'removed.log')).mode & 0o777).toBe(0o600);
  });

  it('compacts to the ids given, leaving no temporary file', () => {
    const dir = folder();
    const log = new RemovedLog(dir, []);
    log.append([1, 2, 3, 4]);
    expect(log.bytes).toBe(32);
    log.compact([4]);
    expect(log.bytes).toBe(8);
    log.append([9]);
    log.sync();
    expect(RemovedLog.read(dir)).toEqual(new Set([4, 9]));
    log.close();
    expect(readdirSync(dir)).toEqual(['removed.log']);
  });
});
