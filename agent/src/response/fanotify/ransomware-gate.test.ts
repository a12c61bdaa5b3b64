// The gate's decisions on real files, with events made here as the addon hands them over
// (an fd to the file, closed by the answer); the kernel side is gate-service.test.ts.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAN_CLOSE_WRITE, FAN_OPEN_PERM, type Verdict } from './fanotify-binding';
import { type Condemned, RansomwareGate } from './ransomware-gate';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function sut() {
  const root = mkdtempSync(join(tmpdir(), 'ww-gate-unit-'));
  roots.push(root);
  const answers: Verdict[] = [];
  const condemned: Condemned[] = [];
  const gate = new RansomwareGate(
    {
      answer: (fd, verdict) => {
        closeSync(fd);
        answers.push(verdict);
        return true;
      },
    },
    {
      encryptedFiles: 1,
      allowExecutables: [],
      user: { files: 6, windowMs: 10_000, denyMs: 60_000, denyMaxMs: 600_000 },
    },
    {
      executable: () => '/usr/bin/locker',
      ref: () => undefined,
      opener: () => ({ group: undefined, uid: undefined, ref: { pid: process.pid, startTime: 0 } }),
      intent: () => 'read',
    },
    (who) => condemned.push(who),
    () => undefined,
  );
  // What the kernel reports for an open (waiting for the answer) and a close after writing.
  const event = (path: string, mask: number) =>
    gate.handleEvents([{ mask, pid: process.pid, fd: openSync(path, 'r') }]);
  const opened = (path: string) => event(path, FAN_OPEN_PERM);
  const closedAfterWrite = (path: string) => event(path, FAN_CLOSE_WRITE);
  return { root, gate, answers, condemned, opened, closedAfterWrite };
}

const note = Buffer.from('Ward 3 round: stable, plan unchanged.\n'.repeat(60));

describe('RansomwareGate', () => {
  it('condemns a rewrite of low-entropy content with random bytes, the "before" read once per content', () => {
    const { root, answers, condemned, opened, closedAfterWrite } = sut();
    const path = join(root, 'scan.bin');
    writeFileSync(path, note);
    opened(path);
    opened(path); // unchanged: the "before" known from the first open
    writeFileSync(path, randomBytes(note.length));
    closedAfterWrite(path);
    expect(condemned).toHaveLength(1);
    expect(answers).toEqual(['allow', 'allow', 'none']);
  });

  it('reads the "before" again when the file changed since the gate last read it', () => {
    const { root, condemned, opened, closedAfterWrite } = sut();
    const path = join(root, 'scan.bin');
    writeFileSync(path, note);
    opened(path);
    // Encrypted content arrives where the gate did not see it written (e.g. before the agent started).
    writeFileSync(path, randomBytes(3_000));
    opened(path);
    writeFileSync(path, randomBytes(3_000));
    closedAfterWrite(path); // random replaced by random: no document was replaced
    expect(condemned).toHaveLength(0);
  });
});
