// Real processes, real /proc: children that hold a file open, write fast, or sit
// elsewhere; the test process itself holds a file open and must never be named.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcFsProcessFinder } from './proc-process-finder';
import { parseIo, parseStartTime, readStartTime } from './proc-reader';

const children: ChildProcess[] = [];
let root: string;
let watched: string;
let elsewhere: string;

/** Starts `node -e script` and waits for its first line on stdout (it is ready then). */
async function child(script: string, cwd = tmpdir()): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['-e', script], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  await new Promise<void>((resolve, reject) => {
    proc.stdout.once('data', () => resolve());
    proc.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  return proc;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ww-finder-'));
  watched = join(root, 'patient-records');
  elsewhere = join(root, 'other');
  for (const dir of [watched, elsewhere]) mkdirSync(dir);
});

afterEach(async () => {
  for (const proc of children.splice(0)) {
    if (proc.exitCode === null) {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    }
  }
  rmSync(root, { recursive: true, force: true });
});

describe('ProcFsProcessFinder on real processes', () => {
  it('finds a child holding a file open in the folder, with its start time and executable, and not the agent', async () => {
    const own = openSync(join(watched, 'agent-own.txt'), 'w'); // the agent itself holds one too
    try {
      const holder = await child(
        `const fs=require('fs');fs.openSync(${JSON.stringify(join(watched, 'chart.txt'))},'w');console.log('ready');setInterval(()=>{},1000)`,
      );
      const finder = new ProcFsProcessFinder({ maxIoWriters: 0 });
      const found = await finder.writersIn([watched]);
      const writer = found.find((w) => w.pid === holder.pid);
      expect(writer).toMatchObject({ evidence: 'open_file', openFiles: 1, executable: process.execPath });
      expect(writer!.startTime).toBe(readStartTime('/proc', holder.pid!));
      expect(writer!.startTime).toBeGreaterThan(0);
      expect(found.map((w) => w.pid)).not.toContain(process.pid);
      console.log(`finder scan with an open-file writer: ${finder.lastScanMs.toFixed(1)} ms`);
    } finally {
      closeSync(own);
    }
  });

  it('finds a process whose working directory is in the folder, ranked after open files', async () => {
    const inside = await child(`console.log('ready');setInterval(()=>{},1000)`, watched);
    const holder = await child(
      `require('fs').openSync(${JSON.stringify(join(watched, 'a.txt'))},'w');console.log('ready');setInterval(()=>{},1000)`,
    );
    const found = await new ProcFsProcessFinder({ maxIoWriters: 0 }).writersIn([watched]);
    const pids = found.map((w) => w.pid);
    expect(found.find((w) => w.pid === inside.pid)?.evidence).toBe('cwd');
    expect(pids.indexOf(holder.pid!)).toBeLessThan(pids.indexOf(inside.pid!));
  });

  it('finds a writer that opens and closes files too fast to be seen holding one, from its write counters', async () => {
    const writer = await child(
      `const fs=require('fs');const b=Buffer.alloc(16384,7);let i=0;console.log('ready');` +
        `setInterval(()=>{for(let k=0;k<8;k++)fs.writeFileSync(${JSON.stringify(watched)}+'/f'+(i++%50),b)},2)`,
    );
    // Other processes on a shared machine write too: name enough of them that the ranking is not the test.
    const finder = new ProcFsProcessFinder({ maxIoWriters: 50, sampleMs: 40 });
    const found = await finder.writersIn([watched], { uids: [process.getuid!()] });
    const hit = found.find((w) => w.pid === writer.pid);
    expect(hit).toBeDefined();
    // Caught mid-write once in a while; mostly only the counters show it.
    expect(['io', 'open_file']).toContain(hit!.evidence);
    expect(hit!.writtenBytes).toBeGreaterThan(16_384);
    console.log(`fast writer found by ${hit!.evidence}, ${hit!.writtenBytes} bytes in the sample`);
  });

  it('does not name a process that holds files in another folder and stays idle', async () => {
    const other = await child(
      `require('fs').openSync(${JSON.stringify(join(elsewhere, 'x.txt'))},'w');console.log('ready');setInterval(()=>{},1000)`,
      elsewhere,
    );
    const found = await new ProcFsProcessFinder().writersIn([watched]);
    expect(found.map((w) => w.pid)).not.toContain(other.pid);
  });

  it('tolerates a pid that vanishes and an empty folder list', async () => {
    const brief = await child(`console.log('ready');setTimeout(()=>{},30)`, watched);
    const found = await new ProcFsProcessFinder({ sampleMs: 60 }).writersIn([watched]);
    expect(Array.isArray(found)).toBe(true);
    await new Promise((r) => (brief.exitCode === null ? brief.once('exit', r) : r(null)));
    expect(await new ProcFsProcessFinder().writersIn([])).toEqual([]);
  });

  it('prefers the audit record over everything /proc shows', async () => {
    const holder = await child(
      `require('fs').openSync(${JSON.stringify(join(watched, 'b.txt'))},'w');console.log('ready');setInterval(()=>{},1000)`,
    );
    const audited = await child(`console.log('ready');setInterval(()=>{},1000)`);
    const path = join(watched, 'c.txt');
    const audit = {
      paths: () => [path, '/elsewhere/d.txt'],
      actorOf: (p: string) =>
        p === path ? { exe: '/usr/bin/encryptor', pid: audited.pid!, timeMs: Date.now() } : undefined,
    };
    const found = await new ProcFsProcessFinder({ audit }).writersIn([watched]);
    expect(found[0]).toMatchObject({ pid: audited.pid, evidence: 'audit', executable: '/usr/bin/encryptor' });
    expect(found.find((w) => w.pid === holder.pid)?.evidence).toBe('open_file');
  });

  it('measures a full scan over every process on this machine', async () => {
    const finder = new ProcFsProcessFinder({ sampleMs: 30 });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await finder.writersIn([watched]);
      times.push(finder.lastScanMs);
    }
    const processes = readdirSync('/proc').filter((n: string) => /^\d+$/.test(n)).length;
    times.sort((a, b) => a - b);
    console.log(
      `finder scan over ${processes} processes: p50 ${times[5].toFixed(1)} ms, max ${times[9].toFixed(1)} ms (30 ms of it the io sample)`,
    );
    expect(times[5]).toBeLessThan(1_000);
  });
});

describe('proc parsers', () => {
  it('reads field 22 after a command name with spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    expect(parseStartTime(`123 (a (b) c) ${fields.join(' ')}`)).toBe(22);
    expect(parseStartTime('garbage')).toBeNull();
  });

  it('reads wchar and syscw', () => {
    expect(parseIo('rchar: 1\nwchar: 200\nsyscr: 3\nsyscw: 4\n')).toEqual({ wchar: 200, syscw: 4 });
    expect(parseIo('')).toBeNull();
  });
});
