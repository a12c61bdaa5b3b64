// The primitive on its own, stepped by hand (no timers): the follower's live tests
// and the audit feed's rotation test cover it under its two callers.
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogTail } from './log-tail';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sut(prepare: (path: string) => void = (p) => writeFileSync(p, 'before start\n'), maxBytesPerRead?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-log-tail-'));
  dirs.push(dir);
  const path = join(dir, 'x.log');
  prepare(path);
  const lines: string[] = [];
  const tail = new LogTail({ path, line: (l) => lines.push(l), overlong: () => undefined, maxBytesPerRead });
  return { path, lines, tail };
}

describe('LogTail', () => {
  it('starts at the end and holds a partial line until its newline', () => {
    const { path, lines, tail } = sut();
    tail.openAtEnd();
    appendFileSync(path, 'one\ntw');
    tail.read();
    expect(lines).toEqual(['one']);
    appendFileSync(path, 'o\n');
    tail.read();
    expect(lines).toEqual(['one', 'two']);
    tail.close();
  });

  it('finishes a renamed file (its last partial line too), then reads the new one from its start', () => {
    const { path, lines, tail } = sut();
    tail.openAtEnd();
    appendFileSync(path, 'old 1\nold partial');
    renameSync(path, `${path}.1`);
    tail.read(); // between rename and re-creation: the open file is read on
    expect(lines).toEqual(['old 1']);
    writeFileSync(path, 'new 1\n');
    tail.read();
    expect(lines).toEqual(['old 1', 'old partial', 'new 1']);
    tail.close();
  });

  it('starts again at 0 after copytruncate, flushing the partial line', () => {
    const { path, lines, tail } = sut();
    tail.openAtEnd();
    appendFileSync(path, 'kept\nhalf');
    tail.read();
    truncateSync(path, 0);
    appendFileSync(path, 'fresh\n');
    tail.read();
    expect(lines).toEqual(['kept', 'half', 'fresh']);
    tail.close();
  });

  it('waits for a file that is not there yet (openAtEnd says so), and reads it whole', () => {
    const { path, lines, tail } = sut(() => undefined);
    expect(() => tail.openAtEnd()).toThrow(/ENOENT/);
    tail.read();
    writeFileSync(path, 'born\n');
    tail.read();
    expect(lines).toEqual(['born']);
    tail.close();
  });

  it('reads at most maxBytesPerRead per call and the rest on the next', () => {
    const { path, lines, tail } = sut(undefined, 8);
    tail.openAtEnd();
    appendFileSync(path, 'abc\ndefg\nhij\n');
    tail.read();
    expect(lines).toEqual(['abc']);
    tail.read();
    expect(lines).toEqual(['abc', 'defg', 'hij']);
    tail.close();
  });
});
