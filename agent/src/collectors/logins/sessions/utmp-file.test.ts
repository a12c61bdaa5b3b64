import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUtmp, utmpFileSessions } from './utmp-file';
import { utmpRecord } from './utmp-record.fixture';

const alive = () => true;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('parseUtmp', () => {
  it('reads user, tty, origin and start of each live USER_PROCESS record', () => {
    const image = Buffer.concat([
      utmpRecord({ pid: 10, tty: 'pts/0', user: 'nurse.jones', ipv4: '203.0.113.9', startSeconds: 1_796_000_000 }),
      utmpRecord({ pid: 11, tty: 'tty7', user: 'dr.house', host: ':0', startSeconds: 1_796_000_060 }),
      utmpRecord({ pid: 12, tty: 'pts/1', user: 'gone', startSeconds: 1, type: 8 }),
      utmpRecord({ pid: 13, tty: 'pts/2', user: 'admin', host: 'jump.hospital.example', startSeconds: 1_796_000_120 }),
    ]);
    expect(parseUtmp(image, alive)).toEqual([
      { user: 'nurse.jones', tty: 'pts/0', from: '203.0.113.9', startMs: 1_796_000_000_000 },
      { user: 'dr.house', tty: 'tty7', from: '', startMs: 1_796_000_060_000 },
      { user: 'admin', tty: 'pts/2', from: 'jump.hospital.example', startMs: 1_796_000_120_000 },
    ]);
  });

  it('falls back to the binary address when the host field is empty, and skips a session whose process is gone', () => {
    const record = utmpRecord({ pid: 20, tty: 'pts/3', user: 'clerk', startSeconds: 5 });
    Buffer.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07]).copy(record, 348);
    expect(parseUtmp(record, alive)[0]?.from).toBe('2001:db8:0:0:0:0:0:7');
    expect(parseUtmp(record, (pid) => pid !== 20)).toEqual([]);
  });

  it('ignores a trailing partial record and never throws on arbitrary bytes', () => {
    const one = utmpRecord({ pid: 1, tty: 'pts/0', user: 'a', startSeconds: 1 });
    expect(parseUtmp(Buffer.concat([one, one.subarray(0, 100)]), alive)).toHaveLength(1);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        for (const s of parseUtmp(Buffer.from(bytes), alive)) expect(typeof s.user).toBe('string');
      }),
    );
  });
});

describe('utmpFileSessions', () => {
  it('reads a real file, tells a live process from a dead one, and sees no one when there is no utmp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-utmp-file-'));
    dirs.push(dir);
    const path = join(dir, 'utmp');
    writeFileSync(
      path,
      Buffer.concat([
        utmpRecord({ pid: process.pid, tty: 'pts/4', user: 'nurse.jones', ipv4: '10.0.0.4', startSeconds: 100 }),
        utmpRecord({ pid: 2 ** 30, tty: 'pts/5', user: 'stale', startSeconds: 100 }),
      ]),
    );
    expect(await utmpFileSessions(path)()).toEqual([
      { user: 'nurse.jones', tty: 'pts/4', from: '10.0.0.4', startMs: 100_000 },
    ]);
    expect(await utmpFileSessions(join(dir, 'missing'))()).toEqual([]);
  });
});
