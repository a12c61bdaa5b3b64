// Live on a temporary file: appends, partial lines, both kinds of rotation.
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFollower } from './log-follower';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sut(prepare: (path: string) => void = (p) => writeFileSync(p, 'old line before start\n'), pollMs = 20) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-tail-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'auth.log');
  prepare(path);
  const lines: string[] = [];
  let overlong = 0;
  const follower = new LogFollower({
    path,
    onLine: (l) => lines.push(l),
    onOverlong: () => (overlong += 1),
    pollMs,
    maxLineBytes: 64,
  });
  await follower.start();
  cleanups.push(() => follower.stop());
  const until = async (count: number) => {
    const deadline = Date.now() + 5_000;
    while (lines.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} lines, got ${JSON.stringify(lines)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 120));
  return { path, dir, lines, until, settle, overlong: () => overlong };
}

describe('LogFollower (live)', () => {
  it('reads an append at once through the file watch, long before the next poll', async () => {
    const { path, lines, until } = await sut(undefined, 60_000);
    const began = Date.now();
    appendFileSync(path, 'Failed password for x\n');
    await until(1);
    expect(lines).toEqual(['Failed password for x']);
    expect(Date.now() - began).toBeLessThan(2_000);
  });

  it('starts at the end and follows appends, holding a partial line until it is complete', async () => {
    const { path, lines, until, settle } = await sut();
    appendFileSync(path, 'one\ntwo\n');
    await until(2);
    appendFileSync(path, 'thr');
    await settle();
    expect(lines).toEqual(['one', 'two']);
    appendFileSync(path, 'ee\r\n');
    await until(3);
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('follows rename rotation: finishes the old file, then reads the new one from its start', async () => {
    const { path, lines, until, settle } = await sut();
    appendFileSync(path, 'before\n');
    await until(1);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'late write to the old file\n');
    await settle();
    writeFileSync(path, 'first in new file\n');
    await until(3);
    appendFileSync(path, 'second in new file\n');
    await until(4);
    expect(lines).toEqual(['before', 'late write to the old file', 'first in new file', 'second in new file']);
  });

  it('follows copytruncate: starts again at the beginning of the emptied file', async () => {
    const { path, lines, until, settle } = await sut();
    appendFileSync(path, 'before truncate\n');
    await until(1);
    truncateSync(path, 0);
    await settle();
    appendFileSync(path, 'after\n');
    await until(2);
    expect(lines).toEqual(['before truncate', 'after']);
  });

  it('waits for a file that does not exist yet and reads it whole', async () => {
    const { path, lines, until } = await sut(() => undefined);
    writeFileSync(path, 'born\n');
    await until(1);
    expect(lines).toEqual(['born']);
  });

  it('caps huge lines and decodes invalid UTF-8 with replacement characters', async () => {
    const { path, lines, until, overlong } = await sut();
    appendFileSync(path, `${'x'.repeat(200)}\n`);
    appendFileSync(path, Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' bytes\n')]));
    await until(2);
    expect(lines[0]).toBe('x'.repeat(64));
    expect(lines[1]).toBe('bad \uFFFD\uFFFD bytes');
    expect(overlong()).toBe(1);
  });
});
