// Real fanotify on this machine (root, CAP_SYS_ADMIN): real child processes write in a
// temporary protected folder while the gate answers their opens.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEntropySync } from '../../collectors/files/entropy';
import { GateSamples } from '../../collectors/files/gate-samples';
import { createMemoryLogger } from '../../logging/logger';
import { ComponentHealthRegistry } from '../../status/component-health';
import { createResponseActions } from '../actions/create-response-actions';
import { ProcFsReader } from '../actions/linux/proc-reader';
import { type FanotifyBinding, loadFanotifyBinding } from './fanotify-binding';
import {
  lockedFiles,
  nodeAs,
  runLocker,
  runSpreadBackup,
  runSpreadLocker,
  runWriter,
  tempFolder,
} from './gate-processes.fixture';
import { GateService, type GateServiceSettings } from './gate-service';

const loaded = loadFanotifyBinding();
const available = !('unavailable' in loaded);
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function sut(
  folder: string,
  over: Partial<GateServiceSettings> = {},
  binding: FanotifyBinding | { unavailable: string } = loaded,
  samples?: GateSamples,
) {
  const health = new ComponentHealthRegistry();
  const reports: string[] = [];
  const service = new GateService({
    binding,
    folders: [{ path: folder, class: 'phi' }],
    settings: {
      enabled: true,
      folderClasses: ['phi'],
      encryptedFiles: 3,
      answerTimeoutMs: 1_000,
      allowExecutables: [],
      maxDirectories: 100,
      ...over,
    },
    actions: createResponseActions(),
    proc: new ProcFsReader(),
    dryRun: false,
    logger: createMemoryLogger(),
    health,
    report: (reason) => {
      reports.push(reason);
      return Promise.resolve();
    },
    samples,
  });
  cleanups.push(() => service.stop());
  return { service, health, reports };
}

function folder(files: number, content: 'repetitive' | 'varied' = 'repetitive') {
  const made = tempFolder('ww-gate-', files, content);
  cleanups.push(made.cleanup);
  return made;
}

// CI runs as root on Linux, where the addon is built at install: there it must load.
const required = process.env.CI === 'true' && process.platform === 'linux' && process.getuid?.() === 0;

it.runIf(required)('the addon is built and loads where CI runs', () => {
  expect(loaded).not.toHaveProperty('unavailable');
});

describe.skipIf(!available)('fanotify gate (real kernel)', () => {
  it('stops a locker after its third encrypted file, well before ten', async () => {
    const { folder: dir } = folder(60);
    const { service, reports } = sut(dir);
    expect(service.start()).toMatchObject({ path: 'fanotify', directories: 1 });
    const exit = await runLocker(dir);
    await service.idle();
    expect(exit.signal).toBe('SIGKILL');
    expect(lockedFiles(dir)).toBeGreaterThanOrEqual(3);
    expect(lockedFiles(dir)).toBeLessThan(10);
    const status = service.status();
    expect(status.path === 'fanotify' && status.stopped).toBe(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/3 encrypted files by pid \d+/);
  });

  it('stops a script that spawns one short-lived encryptor per file, counted by process group', async () => {
    const { folder: dir } = folder(40, 'varied');
    const { service, reports } = sut(dir);
    service.start();
    const exit = await runSpreadLocker(dir);
    await service.idle();
    expect(exit.signal).toBe('SIGKILL'); // the script itself, not only its last openssl
    expect(lockedFiles(dir)).toBeGreaterThanOrEqual(3);
    expect(lockedFiles(dir)).toBeLessThan(10);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/3 encrypted files by process group \d+ \(last pid \d+\)/);
  });

  it('leaves a backup script alone that spawns one gzip per file, originals kept', async () => {
    const { folder: dir } = folder(20, 'varied');
    const { service } = sut(dir);
    service.start();
    expect(await runSpreadBackup(dir)).toEqual({ code: 0, signal: null });
    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.txt.gz'))).toHaveLength(20);
    expect(names.filter((n) => n.endsWith('.txt'))).toHaveLength(20);
    const status = service.status();
    expect(status.path === 'fanotify' && status.counters.writesChecked).toBeGreaterThanOrEqual(20); // .gz read back
    expect(status.path === 'fanotify' && status.stopped).toBe(0);
  });

  it('gates a subfolder created after the start, marked when first listed', async () => {
    const { folder: dir } = folder(0);
    const { service } = sut(dir);
    expect(service.start()).toMatchObject({ directories: 1 });
    const later = tempFolder('ww-gate-later-', 40);
    cleanups.push(later.cleanup);
    const sub = join(dir, 'admitted-today');
    renameSync(later.folder, sub); // a folder with files appears at once
    expect((await runLocker(sub)).signal).toBe('SIGKILL');
    expect(lockedFiles(sub)).toBeLessThan(10);
    expect(service.status()).toMatchObject({ directories: 2 });
  });

  it('lets a benign writer of plain notes finish, and an allow-listed process encrypt', async () => {
    const { root, folder: dir } = folder(20);
    const backup = nodeAs(root, 'ww-backup-tool');
    const { service } = sut(dir, { allowExecutables: [backup] });
    service.start();
    expect(await runWriter(dir, 40)).toEqual({ code: 0, signal: null });
    expect(await runLocker(dir, backup)).toEqual({ code: 0, signal: null });
    expect(lockedFiles(dir)).toBe(60); // the 20 charts and the 40 notes
    const status = service.status();
    expect(status.path === 'fanotify' && status.stopped).toBe(0);
    expect(status.path === 'fanotify' && status.counters.allowListed).toBeGreaterThan(0);
  });

  it('gates a copy of an allow-listed binary under the same name elsewhere, and follows a symlinked entry', async () => {
    const { root, folder: dir } = folder(30);
    mkdirSync(join(root, 'opt'));
    mkdirSync(join(root, 'tmp'));
    const allowed = nodeAs(join(root, 'opt'), 'ww-backup-tool');
    const impostor = nodeAs(join(root, 'tmp'), 'ww-backup-tool'); // same base name, another path
    symlinkSync(allowed, join(root, 'backup-link'));
    // The bare name is what config refuses; given to the gate anyway, it must match nothing.
    const { service } = sut(dir, { allowExecutables: ['ww-backup-tool', join(root, 'backup-link')] });
    service.start();
    expect(await runLocker(dir, impostor)).toMatchObject({ signal: 'SIGKILL' });
    expect(lockedFiles(dir)).toBeLessThan(10);
    const charts = () => readdirSync(dir).filter((n) => n.endsWith('.txt')).length;
    expect(charts()).toBeGreaterThan(20);
    expect(await runLocker(dir, allowed)).toEqual({ code: 0, signal: null }); // the real one, through the link
    expect(charts()).toBe(0);
  });

  it('answers ALLOW when its own decision fails', async () => {
    const { folder: dir } = folder(20);
    // An allow-list makes the gate ask for each process's executable; here that read throws.
    const { service } = sut(dir, { allowExecutables: ['/nonexistent/tool'] });
    service.start();
    const gate = (service as unknown as { gate: { processes: { executable: () => string } } }).gate;
    gate.processes.executable = () => {
      throw new Error('injected');
    };
    expect(await runLocker(dir)).toEqual({ code: 0, signal: null });
    expect(lockedFiles(dir)).toBe(20);
    const status = service.status();
    expect(status.path === 'fanotify' && status.counters.errors).toBeGreaterThan(0);
    expect(status.path === 'fanotify' && status.native.pending).toBe(0);
  });

  it('allows, in the addon, what the agent does not answer in time, and never gates the agent itself', async () => {
    const { folder: dir } = folder(5);
    if ('unavailable' in loaded) throw new Error('unreachable');
    let seen = 0;
    // A JavaScript side that never answers: the addon's deadline must.
    const handle = loaded.open(100, (events) => {
      seen += events.length;
    });
    cleanups.push(() => handle.close());
    handle.mark(dir);
    const started = Date.now();
    readFileSync(join(dir, 'chart-000.txt')); // this process: answered at once by the addon
    expect(Date.now() - started).toBeLessThan(100);
    expect(await runWriter(dir, 3)).toEqual({ code: 0, signal: null });
    expect(seen).toBeGreaterThan(0);
    expect(handle.stats().timedOut).toBeGreaterThanOrEqual(3);
    expect(handle.stats().selfAllowed).toBeGreaterThanOrEqual(1);
  });

  it('hands the file collector a sample of each written file, the bytes it would read itself', async () => {
    const { folder: dir } = folder(0);
    const samples = new GateSamples();
    // As the collector says: note-1 from an offset (appended content), the rest from the start.
    samples.offsetFor = (path) => (path.endsWith('note-1.txt') ? 1_000 : 0);
    sut(dir, {}, loaded, samples).service.start();
    expect(await runWriter(dir, 4)).toEqual({ code: 0, signal: null });
    const deadline = Date.now() + 5_000;
    while (samples.size < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 4; i++) {
      const path = join(dir, `note-${i}.txt`);
      const from = i === 1 ? 1_000 : 0;
      const own = sampleEntropySync(path, from);
      expect(own).toBeGreaterThan(0);
      expect(samples.take(path, statSync(path), from)).toBe(own);
    }
  });
});

describe('fanotify gate fallback', () => {
  it('falls back to the /proc path, said in status and health, when fanotify_init fails', () => {
    const { folder: dir } = folder(1);
    const failing: FanotifyBinding = {
      open: () => {
        throw new Error('fanotify_init: Operation not permitted');
      },
    };
    const { service, health } = sut(dir, {}, failing);
    expect(service.start()).toEqual({ path: 'proc', reason: 'fanotify_init: Operation not permitted' });
    const component = health.list().find((c) => c.name === 'ransomware-gate');
    expect(component?.message).toMatch(/\/proc path only/);
  });

  it('falls back when the addon is not built', () => {
    expect(loadFanotifyBinding('/nonexistent/fanotify.node')).toEqual({ unavailable: 'fanotify addon not built' });
  });
});
