import { afterAll, describe, expect, it } from 'vitest';
import { createResponseActions } from '../create-response-actions';
import { isRoot, markedPids, newMark, OsFixture, until } from './os-fixture.fixture';
import { ProcFsReader } from './proc-reader';

describe.skipIf(process.platform !== 'linux')('killProcessTree on real processes', { timeout: 30_000 }, () => {
  const os = new OsFixture();
  afterAll(() => os.cleanup());
  const actions = createResponseActions({ platform: 'linux' });
  const proc = new ProcFsReader();

  it('kills a parent, its children, grandchildren and a child that keeps forking', async () => {
    const mark = newMark();
    const parent = os.spawnAs(
      undefined,
      [
        '(while :; do sleep 0.2 & sleep 0.01; done) &', // forks all the time
        'sh -c "sleep 300 & sleep 300 & wait" &', // a child with grandchildren
        'sleep 300 & wait',
      ].join('\n'),
      mark,
    );
    expect(await until(() => markedPids(mark).length >= 6)).toBe(true);
    const root = proc.read(parent.pid!)!;

    const outcome = await actions.killProcessTree([{ pid: root.pid, startTime: root.startTicks }], { dryRun: false });

    expect(outcome.ok).toBe(true);
    expect((outcome.details.killed as number[]).length).toBeGreaterThanOrEqual(6);
    expect(outcome.details.remaining).toEqual([]);
    // Nothing carrying the tree's mark lives on, not even a child forked during the kill.
    await new Promise((r) => setTimeout(r, 300));
    expect(markedPids(mark)).toEqual([]);
  });

  it('refuses a pid whose start time differs (reused pid): nothing is killed', async () => {
    const mark = newMark();
    const child = os.spawnAs(undefined, 'sleep 300 & wait', mark);
    expect(await until(() => markedPids(mark).length === 2)).toBe(true);
    const entry = proc.read(child.pid!)!;

    const outcome = await actions.killProcessTree([{ pid: entry.pid, startTime: entry.startTicks + 1 }], {
      dryRun: false,
    });

    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('pid reused');
    await new Promise((r) => setTimeout(r, 200));
    expect(markedPids(mark)).toHaveLength(2);
  });

  it('never kills pid 1, the agent or its ancestors', async () => {
    for (const pid of [1, process.pid, process.ppid]) {
      const outcome = await actions.killProcessTree([{ pid, startTime: 0 }], { dryRun: false });
      expect(outcome).toMatchObject({ ok: false, details: { refused: true } });
    }
    expect(proc.read(process.ppid)).toBeDefined();
  });

  it('dry run names the tree and kills nothing', async () => {
    const mark = newMark();
    const child = os.spawnAs(undefined, 'sleep 300 & sleep 300 & wait', mark);
    expect(await until(() => markedPids(mark).length === 3)).toBe(true);
    const outcome = await actions.killProcessTree([{ pid: child.pid!, startTime: 0 }], { dryRun: true });
    expect(outcome).toMatchObject({ ok: true, details: { dryRun: true } });
    expect([...(outcome.details.pids as number[])].sort()).toEqual(markedPids(mark).sort());
    await new Promise((r) => setTimeout(r, 200));
    expect(markedPids(mark)).toHaveLength(3);
  });

  it.skipIf(!isRoot)('kills a tree running as another user too', async () => {
    const account = os.createAccount();
    const mark = newMark();
    const child = os.spawnAs(account, 'sleep 300 & sleep 300 & wait', mark);
    expect(await until(() => markedPids(mark).length === 3)).toBe(true);
    const outcome = await actions.killProcessTree([{ pid: child.pid!, startTime: 0 }], { dryRun: false });
    expect(outcome.ok).toBe(true);
    expect(markedPids(mark)).toEqual([]);
  });
});
