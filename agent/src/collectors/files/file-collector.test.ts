// Live on a temporary folder: real files, real chokidar.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { FileActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { RecordingSink } from '../collector-test-sink.fixture';
import { shannonEntropy } from './entropy';
import { FileCollector, WATCHES_COMPONENT } from './file-collector';
import { watcherRunningOutAfter } from './folder-watcher.fixture';
import { ComponentHealthRegistry } from '../../status/component-health';
import { GateSamples } from './gate-samples';
import { MIN_RENAMED_COPY_BYTES } from './copy-lineage';
import { zipArchive } from './zip-writer.fixture';
import { findProfileFolders } from './profile-folders';
import { findScratchFolders } from './scratch-folders';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

type Mode = 'native' | 'native on a network share' | 'chokidar';

async function sut(folders: { path: string; class: 'phi' | 'other' }[], mode: Mode, samples?: GateSamples) {
  const logger = createMemoryLogger();
  const engine = mode === 'chokidar' ? 'chokidar' : 'native';
  // "On a network share": every file call takes the asynchronous path.
  const isNetworkFileSystem = mode === 'native on a network share' ? () => true : () => false;
  const collector = new FileCollector({
    folders,
    logger,
    renameWindowMs: 150,
    presenceCheckMs: 100,
    engine,
    isNetworkFileSystem,
    samples,
    archiveQuietMs: 200,
  });
  const sink = new RecordingSink();
  await collector.start(sink);
  stops.push(() => collector.stop());
  const file = (action: string, match: (f: FileActivity) => boolean = () => true) =>
    sink.waitFor(
      (s) =>
        s.events
          .map((e) => (e.detail?.$case === 'file' ? e.detail.value : undefined))
          .find((f) => f?.action === action && match(f)),
      `a ${action} event`,
    );
  return { sink, file, logger };
}

/** The file events a sink has seen. */
function fileEvents(sink: RecordingSink): FileActivity[] {
  return sink.events.flatMap((e) => (e.detail?.$case === 'file' ? [e.detail.value] : []));
}

/** A file event as one line: its action, path and previous path below `root`. */
function asLine(root: string): (f: FileActivity) => string {
  return (f) => `${f.action} ${f.path.slice(root.length)} ${f.previousPath.slice(root.length)}`;
}

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ww-files-'));
  stops.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

describe.each(['native', 'native on a network share', 'chokidar'] as const)(
  'FileCollector (live, %s)',
  { timeout: 15_000 },
  (engine) => {
    it('sees create, write, rename and delete with size, extension, depth, owner and entropy', async () => {
      const root = tempRoot();
      mkdirSync(join(root, 'ward3'));
      const { sink, file } = await sut([{ path: root, class: 'phi' }], engine);

      const path = join(root, 'ward3', 'Discharge.PDF');
      writeFileSync(path, randomBytes(4_096));
      const created = await file('create');
      expect(created).toMatchObject({
        path,
        folderClass: 'phi',
        extension: '.pdf',
        depth: 2,
        sizeBytes: 4_096,
        owner: userInfo().username,
      });
      expect(created.entropy).toBeGreaterThan(7.5);
      expect(sink.events[0].user).toBe(userInfo().username);

      appendFileSync(path, 'a'.repeat(1_000));
      const written = await file('write');
      expect(written.sizeBytes).toBe(5_096);
      expect(written.entropy).toBe(0); // only the appended, all-'a' part was sampled

      const renamed = join(root, 'ward3', 'summary.pdf');
      renameSync(path, renamed);
      const rename = await file('rename');
      expect(rename).toMatchObject({ path: renamed, previousPath: path, sizeBytes: 5_096 });

      unlinkSync(renamed);
      const deleted = await file('delete');
      expect(deleted).toMatchObject({ path: renamed, sizeBytes: 5_096, entropy: -1 });
      expect(sink.events.filter((e) => e.detail?.$case === 'file' && e.detail.value.action === 'delete')).toHaveLength(
        1,
      );
    });

    it('names the class of the folder a renamed file left: a chart moved out of the patient-data folders', async () => {
      const root = tempRoot();
      const [phi, outside] = [join(root, 'phi'), join(root, 'OneDrive')];
      mkdirSync(join(phi, 'icu'), { recursive: true });
      mkdirSync(outside);
      const { file } = await sut(
        [
          { path: phi, class: 'phi' },
          { path: outside, class: 'other' },
        ],
        engine,
      );
      const chart = join(phi, 'icu', 'chart.pdf');
      writeFileSync(chart, randomBytes(3_000));
      await file('create');
      renameSync(chart, join(phi, 'chart.pdf'));
      expect(await file('rename')).toMatchObject({ previousFolderClass: 'phi', folderClass: 'phi' });
      renameSync(join(phi, 'chart.pdf'), join(outside, 'chart.pdf'));
      expect(await file('rename', (f) => f.folderClass === 'other')).toMatchObject({
        path: join(outside, 'chart.pdf'),
        previousPath: join(phi, 'chart.pdf'),
        previousFolderClass: 'phi',
      });
    });

    it('follows a folder that is created after the start, including what is already in it', async () => {
      const root = tempRoot();
      const later = join(root, 'later', 'records');
      const { file, logger } = await sut([{ path: later, class: 'other' }], engine);
      expect(logger.lines.some((l) => l.msg === 'watched folder missing, waiting for it')).toBe(true);
      mkdirSync(later, { recursive: true });
      writeFileSync(join(later, 'first.txt'), 'hello');
      expect(await file('create', (f) => f.path.endsWith('first.txt'))).toMatchObject({
        folderClass: 'other',
        depth: 1,
        sizeBytes: 5,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      writeFileSync(join(later, 'second.txt'), 'hello again');
      await file('create', (f) => f.path.endsWith('second.txt'));
    });

    it('sees files in a subfolder made after the start, written at once', async () => {
      const root = tempRoot();
      const { file } = await sut([{ path: root, class: 'phi' }], engine);
      mkdirSync(join(root, 'new-ward', 'bay-2'), { recursive: true });
      writeFileSync(join(root, 'new-ward', 'bay-2', 'chart.docx'), 'chart');
      expect(await file('create', (f) => f.extension === '.docx')).toMatchObject({ depth: 3, folderClass: 'phi' });
    });

    it('survives its folder vanishing and picks it up again when it returns', async () => {
      const root = tempRoot();
      const folder = join(root, 'records');
      mkdirSync(folder);
      const { sink, file, logger } = await sut([{ path: folder, class: 'phi' }], engine);
      rmSync(folder, { recursive: true });
      await sink.waitFor(
        (s) =>
          logger.lines.some((l) => l.msg === 'watched folder vanished, waiting for it to return') ? s : undefined,
        'the vanish to be noticed',
      );
      mkdirSync(folder);
      await sink.waitFor(
        (s) => (logger.lines.some((l) => l.msg === 'watched folder appeared') ? s : undefined),
        'the return to be noticed',
      );
      writeFileSync(join(folder, 'back.txt'), 'x');
      await file('create', (f) => f.path.endsWith('back.txt'));
    });
  },
);

describe.each(['native', 'native on a network share'] as const)(
  'FileCollector: copies of patient files (%s)',
  (mode) => {
    /** A patient's folder holding what `before` writes there, known at the start, and a watched stick. */
    const patientFilesAndStick = async (before: (phi: string) => void) => {
      const root = tempRoot();
      const [phi, stick] = [join(root, 'phi', 'icu', '7'), join(root, 'stick')];
      mkdirSync(phi, { recursive: true });
      mkdirSync(stick);
      before(phi);
      const watched = await sut(
        [
          { path: join(root, 'phi'), class: 'phi' },
          { path: stick, class: 'other' },
        ],
        mode,
      );
      return { root, phi, stick, ...watched };
    };

    it(
      'reports a patient file copied out as a copy of it; a same-named file of other content as new',
      { timeout: 15_000 },
      async () => {
        // Known before the start (found by the scan, never looked at since): the common case.
        const content = randomBytes(100_000);
        const { root, phi, stick, sink, file } = await patientFilesAndStick((phi) => {
          writeFileSync(join(phi, 'chart-0042.pdf'), content);
          writeFileSync(join(phi, 'letter.pdf'), randomBytes(2_000));
        });
        const chart = join(phi, 'chart-0042.pdf');

        copyFileSync(chart, join(stick, 'chart-0042.pdf'));
        expect(await file('copy')).toMatchObject({
          path: join(stick, 'chart-0042.pdf'),
          previousPath: chart,
          folderClass: 'other',
          sizeBytes: 100_000,
        });
        // Same name and size, other bytes: not a copy of it.
        writeFileSync(join(stick, 'letter.pdf'), randomBytes(2_000));
        expect(await file('create', (f) => f.path.endsWith('letter.pdf'))).toMatchObject({ previousPath: '' });
        // A copy inside the patient folders is patient work, not a copy out.
        copyFileSync(chart, join(root, 'phi', 'chart-0042.pdf'));
        await file('create', (f) => f.path === join(root, 'phi', 'chart-0042.pdf'));
        expect(sink.events.filter((e) => e.detail?.$case === 'file' && e.detail.value.action === 'copy')).toHaveLength(
          1,
        );
      },
    );

    it(
      'finds the source of a copy saved under another name by its size; not of a small file',
      { timeout: 15_000 },
      async () => {
        const { phi, stick, file } = await patientFilesAndStick((phi) => {
          writeFileSync(join(phi, 'scan-0007.pdf'), randomBytes(70_000)); // found by the scan at start
          writeFileSync(join(phi, 'note.txt'), randomBytes(MIN_RENAMED_COPY_BYTES - 1));
        });
        const [scannedChart, note] = [join(phi, 'scan-0007.pdf'), join(phi, 'note.txt')];
        const copyOf = (name: string) => file('copy', (f) => f.path === join(stick, name));
        const createOf = (name: string) => file('create', (f) => f.path === join(stick, name));

        copyFileSync(scannedChart, join(stick, 'holiday.jpg'));
        expect(await copyOf('holiday.jpg')).toMatchObject({ previousPath: scannedChart, sizeBytes: 70_000 });
        // A chart written since the start (looked at, not scanned), copied under another name.
        const newChart = join(phi, 'discharge.pdf');
        writeFileSync(newChart, randomBytes(40_000));
        await file('create', (f) => f.path === newChart);
        copyFileSync(newChart, join(stick, 'recipes.pdf'));
        expect(await copyOf('recipes.pdf')).toMatchObject({ previousPath: newChart });
        // The same size with other bytes, and a small file byte for byte the same: new files.
        writeFileSync(join(stick, 'other.bin'), randomBytes(70_000));
        expect(await createOf('other.bin')).toMatchObject({ previousPath: '' });
        copyFileSync(note, join(stick, 'todo.txt'));
        expect(await createOf('todo.txt')).toMatchObject({ previousPath: '' });
      },
    );

    it(
      'reports a copy first seen in part (a slow stick) once it has grown into its source',
      { timeout: 15_000 },
      async () => {
        const content = randomBytes(300_000);
        const { phi, stick, sink, file } = await patientFilesAndStick((phi) =>
          writeFileSync(join(phi, 'study.dcm'), content),
        );
        const study = join(phi, 'study.dcm');
        const [named, renamed] = [join(stick, 'study.dcm'), join(stick, 'x.tmp')];
        // The first part, seen by the watcher before the rest arrives: a new file, not yet a copy.
        writeFileSync(named, content.subarray(0, 100_000));
        writeFileSync(renamed, content.subarray(0, 100_000));
        await file('create', (f) => f.path === named);
        await file('create', (f) => f.path === renamed);
        appendFileSync(named, content.subarray(100_000));
        appendFileSync(renamed, content.subarray(100_000));
        expect(await file('copy', (f) => f.path === named)).toMatchObject({ previousPath: study, sizeBytes: 300_000 });
        expect(await file('copy', (f) => f.path === renamed)).toMatchObject({ previousPath: study });
        // Written again after it was reported as a copy: a write.
        appendFileSync(named, 'x');
        await file('write', (f) => f.path === named && f.sizeBytes === 300_001);
        const copies = sink.events.filter((e) => e.detail?.$case === 'file' && e.detail.value.action === 'copy');
        expect(copies).toHaveLength(2);
      },
    );

    /** A chart and a scan in a patient's folder, and the stick. */
    const chartAndScan = async () => {
      const [chart, scan] = [randomBytes(100_000), randomBytes(70_000)];
      const watched = await patientFilesAndStick((phi) => {
        writeFileSync(join(phi, 'chart-0042.pdf'), chart);
        writeFileSync(join(phi, 'scan-0007.pdf'), scan);
      });
      return { chart, scan, ...watched };
    };

    it(
      'reports each patient file a zip archive holds as copied into it, once, also when zipped under a temporary name',
      { timeout: 15_000 },
      async () => {
        const { chart, scan, phi, stick, sink, file } = await chartAndScan();
        const copiesInto = (name: string) =>
          sink.events
            .map((e) => (e.detail?.$case === 'file' ? e.detail.value : undefined))
            .filter((f) => f?.action === 'copy' && f.path === join(stick, name));
        // As Info-ZIP does: the archive made empty, written whole under a temporary name, renamed over it.
        const zipped = zipArchive([
          { name: 'ward/chart-0042.pdf', data: chart },
          { name: 'holiday.jpg', data: scan, store: true },
          { name: 'readme.txt', data: Buffer.from('nothing to see') },
        ]);
        writeFileSync(join(stick, 'x.zip'), '');
        writeFileSync(join(stick, 'ziAb12Cd'), zipped);
        renameSync(join(stick, 'ziAb12Cd'), join(stick, 'x.zip'));
        await file('copy', (f) => f.previousPath === join(phi, 'scan-0007.pdf'));
        const first = await file('copy', (f) => f.previousPath === join(phi, 'chart-0042.pdf'));
        expect(first).toMatchObject({ folderClass: 'other', extension: '.zip', sizeBytes: 100_000 });
        // Written at once (as a file manager does); and an archive of same-named other bytes, not copies.
        writeFileSync(join(stick, 'y.zip'), zipped);
        writeFileSync(join(stick, 'z.zip'), zipArchive([{ name: 'chart-0042.pdf', data: randomBytes(100_000) }]));
        await file('copy', (f) => f.path === join(stick, 'y.zip') && f.previousPath === join(phi, 'scan-0007.pdf'));
        // Seen in part first (its directory comes last): reported once it is whole.
        writeFileSync(join(stick, 'w.zip'), zipped.subarray(0, 120_000));
        await file('create', (f) => f.path === join(stick, 'w.zip'));
        appendFileSync(join(stick, 'w.zip'), zipped.subarray(120_000));
        await file('copy', (f) => f.path === join(stick, 'w.zip') && f.previousPath === join(phi, 'chart-0042.pdf'));
        // Seen in part under a temporary name, then given its own (as 7-Zip does): looked inside under it.
        writeFileSync(join(stick, 'v.zip.tmp'), zipped.subarray(0, 120_000));
        await file('create', (f) => f.path === join(stick, 'v.zip.tmp'));
        appendFileSync(join(stick, 'v.zip.tmp'), zipped.subarray(120_000));
        await file('write', (f) => f.path === join(stick, 'v.zip.tmp') && f.sizeBytes === zipped.length);
        renameSync(join(stick, 'v.zip.tmp'), join(stick, 'v.zip'));
        await file('copy', (f) => f.path === join(stick, 'v.zip') && f.previousPath === join(phi, 'chart-0042.pdf'));
        await file('create', (f) => f.path === join(stick, 'z.zip'));
        writeFileSync(join(stick, 'done.txt'), 'x');
        await file('create', (f) => f.path === join(stick, 'done.txt'));
        expect(copiesInto('x.zip')).toHaveLength(2);
        expect(copiesInto('y.zip')).toHaveLength(2);
        expect(copiesInto('w.zip')).toHaveLength(2);
        expect(copiesInto('v.zip')).toHaveLength(2);
        expect(copiesInto('v.zip.tmp')).toHaveLength(0);
        expect(copiesInto('z.zip')).toHaveLength(0);
      },
    );

    it(
      'reports each patient file a tar.gz packed by GNU tar holds, once it is left alone',
      { timeout: 15_000 },
      async () => {
        const { phi, stick, sink, file } = await chartAndScan();
        execFileSync('tar', ['-czf', join(stick, 'ward.tgz'), '-C', phi, '.']);
        await file('copy', (f) => f.previousPath === join(phi, 'chart-0042.pdf'));
        await file('copy', (f) => f.previousPath === join(phi, 'scan-0007.pdf'));
        // Written again later (the same archive, rewritten): its copies are not reported twice.
        execFileSync('tar', ['-czf', join(stick, 'ward.tgz'), '-C', phi, '.']);
        writeFileSync(join(stick, 'done.txt'), 'x');
        await new Promise((resolve) => setTimeout(resolve, 800));
        await file('create', (f) => f.path === join(stick, 'done.txt'));
        const copies = sink.events.filter((e) => e.detail?.$case === 'file' && e.detail.value.action === 'copy');
        expect(copies.map((e) => (e.detail?.$case === 'file' ? e.detail.value.path : ''))).toEqual([
          join(stick, 'ward.tgz'),
          join(stick, 'ward.tgz'),
        ]);
      },
    );
  },
);

describe("FileCollector: profiles' synced folders (native, local disk)", { timeout: 15_000 }, () => {
  it('reports patient data arriving in a synced folder it found, nothing else there, and lets it go when gone', async () => {
    const root = tempRoot();
    const [phi, home] = [join(root, 'phi'), join(root, 'home')];
    const oneDrive = join(home, 'ana', 'OneDrive');
    mkdirSync(join(phi, 'icu'), { recursive: true });
    mkdirSync(oneDrive, { recursive: true });
    writeFileSync(join(oneDrive, 'holiday.jpg'), randomBytes(500)); // there before: known, not new
    const chart = join(phi, 'icu', 'chart-7.pdf');
    writeFileSync(chart, randomBytes(30_000));
    const moved = join(phi, 'icu', 'chart-8.pdf');
    writeFileSync(moved, randomBytes(31_000));
    const logger = createMemoryLogger();
    const sink = new RecordingSink();
    let found = [{ path: oneDrive, class: 'other' as const, copiesOnly: true }];
    const collector = new FileCollector({
      folders: [{ path: phi, class: 'phi' }],
      logger,
      renameWindowMs: 150,
      presenceCheckMs: 100,
      discoverFolders: () => Promise.resolve(found),
      discoverMs: 100,
    });
    await collector.start(sink);
    stops.push(() => collector.stop());
    const files = () => fileEvents(sink);
    const file = (action: string) => sink.waitFor(() => files().find((f) => f.action === action), `a ${action} event`);

    writeFileSync(join(oneDrive, 'notes.txt'), 'shopping list');
    copyFileSync(chart, join(oneDrive, 'chart-7.pdf'));
    expect(await file('copy')).toMatchObject({ path: join(oneDrive, 'chart-7.pdf'), previousPath: chart });
    renameSync(moved, join(oneDrive, 'chart-8.pdf'));
    expect(await file('rename')).toMatchObject({ path: join(oneDrive, 'chart-8.pdf'), previousFolderClass: 'phi' });
    // The synced folder's own files, written, renamed and deleted: none of the agent's business.
    appendFileSync(join(oneDrive, 'notes.txt'), ' and more');
    renameSync(join(oneDrive, 'holiday.jpg'), join(oneDrive, 'beach.jpg'));
    unlinkSync(join(oneDrive, 'notes.txt'));
    // The folder is no longer found: copies there are not seen any more.
    found = [];
    await new Promise((resolve) => setTimeout(resolve, 400));
    copyFileSync(chart, join(oneDrive, 'again.pdf'));
    writeFileSync(join(phi, 'marker.pdf'), 'x');
    await sink.waitFor(() => files().find((f) => f.path.endsWith('marker.pdf')), 'the marker');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(files().map((f) => `${f.action} ${f.path.slice(root.length)}`)).toEqual([
      'copy /home/ana/OneDrive/chart-7.pdf',
      'rename /home/ana/OneDrive/chart-8.pdf',
      'create /phi/marker.pdf',
    ]);
  });
});

// Native only: the earlier engine keeps no names, so it finds no copies (its depth: chokidar-watch-source.test.ts).
describe.each(['native'] as const)("FileCollector: profiles' save folders (%s)", { timeout: 15_000 }, (engine) => {
  it('reports charts copied or zipped into a Desktop, Downloads or the profile it found, down to the depth watched', async () => {
    const root = tempRoot();
    const [phi, home] = [join(root, 'phi'), join(root, 'home')];
    mkdirSync(join(phi, 'icu'), { recursive: true });
    for (const folder of ['Desktop', 'Downloads', 'Music']) mkdirSync(join(home, 'ana', folder), { recursive: true });
    const chart = join(phi, 'icu', 'chart-7.pdf');
    writeFileSync(chart, randomBytes(30_000));
    const sink = new RecordingSink();
    const kinds = { sync: true, saveFolders: ['Desktop', 'Downloads'], saveDepth: 2, profileTop: true };
    const collector = new FileCollector({
      folders: [{ path: phi, class: 'phi' }],
      logger: createMemoryLogger(),
      presenceCheckMs: 100,
      engine,
      discoverFolders: () => findProfileFolders([home], kinds),
      archiveQuietMs: 200,
    });
    await collector.start(sink);
    stops.push(() => collector.stop());
    const files = () => fileEvents(sink);
    const copies = (n: number) => sink.waitFor(() => files().length >= n || undefined, `${n} copies`);

    const downloads = join(home, 'ana', 'Downloads');
    writeFileSync(join(downloads, 'timetable.pdf'), randomBytes(2_000)); // staff's own: not reported
    copyFileSync(chart, join(downloads, 'chart-7.pdf'));
    await copies(1);
    mkdirSync(join(downloads, 'export', 'ward', 'icu'), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    copyFileSync(chart, join(downloads, 'export', 'ward', 'chart-7.pdf')); // two levels down: watched
    copyFileSync(chart, join(downloads, 'export', 'ward', 'icu', 'chart-7.pdf')); // three: not
    copyFileSync(chart, join(home, 'ana', 'Music', 'chart-7.pdf')); // not a save folder
    await copies(2);
    copyFileSync(chart, join(home, 'ana', 'chart-7.pdf')); // the profile's top
    await copies(3);
    writeFileSync(
      join(home, 'ana', 'Desktop', 'charts.zip'),
      zipArchive([{ name: 'chart-7.pdf', data: readFileSync(chart) }]),
    );
    await copies(4);
    writeFileSync(join(phi, 'marker.pdf'), 'x');
    await sink.waitFor(() => files().find((f) => f.path.endsWith('marker.pdf')), 'the marker');
    expect(files().map(asLine(root))).toEqual([
      'copy /home/ana/Downloads/chart-7.pdf /phi/icu/chart-7.pdf',
      'copy /home/ana/Downloads/export/ward/chart-7.pdf /phi/icu/chart-7.pdf',
      'copy /home/ana/chart-7.pdf /phi/icu/chart-7.pdf',
      'copy /home/ana/Desktop/charts.zip /phi/icu/chart-7.pdf',
      'create /phi/marker.pdf ',
    ]);
  });
});

describe('FileCollector: shared scratch folders (native)', { timeout: 15_000 }, () => {
  it('reports charts staged there, one level down, and everything in a patient folder deeper inside', async () => {
    const root = tempRoot();
    const [phi, scratch] = [join(root, 'phi'), join(root, 'tmp')];
    const nested = join(scratch, 'ward-export', 'phi'); // deeper than the scratch folder is watched
    for (const dir of [join(phi, 'icu'), join(scratch, 'ssh-stage', 'deeper'), nested])
      mkdirSync(dir, { recursive: true });
    const chart = join(phi, 'icu', 'chart-7.pdf');
    writeFileSync(chart, randomBytes(30_000));
    const sink = new RecordingSink();
    const collector = new FileCollector({
      folders: [
        { path: phi, class: 'phi' },
        { path: nested, class: 'phi' },
      ],
      logger: createMemoryLogger(),
      discoverFolders: () => findScratchFolders([scratch, join(root, 'missing')], 1),
    });
    await collector.start(sink);
    stops.push(() => collector.stop());
    const files = () => fileEvents(sink);

    writeFileSync(join(scratch, 'build.log'), randomBytes(2_000)); // not patient data: not reported
    copyFileSync(chart, join(scratch, 'x.pdf'));
    copyFileSync(chart, join(scratch, 'ssh-stage', 'chart-7.pdf'));
    copyFileSync(chart, join(scratch, 'ssh-stage', 'deeper', 'chart-7.pdf')); // two levels: not watched
    await sink.waitFor(() => files().length >= 2 || undefined, 'two copies');
    writeFileSync(join(nested, 'note.txt'), 'x'); // a patient folder inside: everything reported
    await sink.waitFor(() => files().find((f) => f.path.endsWith('note.txt')), 'the note');
    expect(files().map(asLine(root))).toEqual([
      'copy /tmp/x.pdf /phi/icu/chart-7.pdf',
      'copy /tmp/ssh-stage/chart-7.pdf /phi/icu/chart-7.pdf',
      'create /tmp/ward-export/phi/note.txt ',
    ]);
  });
});

describe('FileCollector: folders a site configured inside a profile (native)', { timeout: 15_000 }, () => {
  it('reports everything in them though the profile top around them is watched for arrivals only', async () => {
    const root = tempRoot();
    const records = join(root, 'home', 'ehr', 'records');
    const scans = join(root, 'home', 'ana', 'scans');
    for (const dir of [records, scans]) mkdirSync(dir, { recursive: true });
    const sink = new RecordingSink();
    let kinds = { sync: true, saveFolders: ['Desktop'], saveDepth: 2, profileTop: true };
    const collector = new FileCollector({
      folders: [
        { path: records, class: 'phi' },
        { path: scans, class: 'other' },
      ],
      logger: createMemoryLogger(),
      discoverFolders: () => findProfileFolders([join(root, 'home')], kinds),
      discoverMs: 100,
    });
    await collector.start(sink);
    stops.push(() => collector.stop());
    const files = () => fileEvents(sink);
    writeFileSync(join(root, 'home', 'ana', 'own.txt'), 'staff file at the profile top: not reported');
    writeFileSync(join(records, 'chart-1.pdf'), randomBytes(2_000));
    writeFileSync(join(scans, 'scan-1.tif'), randomBytes(2_000));
    await sink.waitFor(() => files().length >= 2 || undefined, 'two creates');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      files()
        .map((f) => `${f.action} ${f.path.slice(root.length)}`)
        .sort(),
    ).toEqual(['create /home/ana/scans/scan-1.tif', 'create /home/ehr/records/chart-1.pdf']);
    // The profile tops are let go: the site's folders inside them stay watched.
    kinds = { ...kinds, profileTop: false };
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(join(records, 'chart-2.pdf'), randomBytes(2_000));
    await sink.waitFor(() => files().find((f) => f.path.endsWith('chart-2.pdf')), 'a create after the tops went');
  });
});

describe('FileCollector: a volume given while running (native)', { timeout: 15_000 }, () => {
  it.each(['', '/'])('knows what it held and reports what comes (its path ending in "%s")', async (end) => {
    const root = tempRoot();
    const [phi, stick] = [join(root, 'phi'), join(root, 'media', 'stick')];
    mkdirSync(phi);
    mkdirSync(join(stick, 'old'), { recursive: true });
    writeFileSync(join(stick, 'old', 'holiday.jpg'), randomBytes(600));
    const collector = new FileCollector({ folders: [{ path: phi, class: 'phi' }], logger: createMemoryLogger() });
    const sink = new RecordingSink();
    await collector.start(sink);
    stops.push(() => collector.stop());
    await collector.watchFolder({ path: stick + end, class: 'removable' });
    writeFileSync(join(stick, 'new.txt'), 'x');
    const files = () => fileEvents(sink);
    await sink.waitFor(() => files().find((f) => f.path.endsWith('new.txt')), 'the new file');
    expect(files().map((f) => `${f.action} ${f.path.slice(root.length)}`)).toEqual(['create /media/stick/new.txt']);
  });
});

describe('FileCollector out of OS watches', () => {
  /** A collector on a root of these wards that has OS watches for the root and one ward only. */
  async function shortOfWatches(wards: string[]) {
    const root = tempRoot();
    for (const ward of wards) mkdirSync(join(root, ward));
    const health = new ComponentHealthRegistry();
    const collector = new FileCollector({
      folders: [{ path: root, class: 'phi' }],
      logger: createMemoryLogger(),
      health,
      folderWatcher: watcherRunningOutAfter(2),
    });
    const sink = new RecordingSink();
    await collector.start(sink);
    stops.push(() => collector.stop());
    return { root, health, sink };
  }

  it('runs on with the folders it could watch, and says in its own health component what it cannot see', async () => {
    const { root, health, sink } = await shortOfWatches(['a', 'b', 'c', 'd']);
    expect(health.list().map((c) => `${c.name} ${c.state}: ${c.message.split(' (')[0]}`)).toEqual([
      `${WATCHES_COMPONENT} failed: cannot watch more folders`,
    ]);
    writeFileSync(join(root, 'top.pdf'), 'x');
    await sink.waitFor((s) => s.events.length > 0 || undefined, 'a file event in the root it watches');
  });

  it('says it sees everything again once the folders it could not watch are gone', async () => {
    const wards = ['a', 'b', 'c'];
    const { root, health } = await shortOfWatches(wards);
    expect(health.failed().map((c) => c.name)).toEqual([WATCHES_COMPONENT]);
    for (const ward of wards) rmSync(join(root, ward), { recursive: true });
    const deadline = Date.now() + 5_000;
    while (health.failed().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(health.list().map((c) => `${c.name} ${c.state}`)).toEqual([`${WATCHES_COMPONENT} running`]);
  });
});

describe("FileCollector with the gate's samples (native, local disk)", { timeout: 15_000 }, () => {
  it('uses a sample of the same file at the same offset, and reads the file itself when it changed since', async () => {
    const root = tempRoot();
    const samples = new GateSamples();
    const { file } = await sut([{ path: root, class: 'phi' }], 'native', samples);
    // What the gate does at FAN_CLOSE_WRITE, before the collector's settle time is over.
    const gateSees = (path: string, entropy: number, change: { size?: number } = {}) => {
      const stats = statSync(path);
      const from = samples.offsetFor(path, stats.size);
      samples.put(path, { ...stats, size: stats.size, ...change }, from ?? -1, entropy);
    };
    const kept = join(root, 'kept.txt');
    writeFileSync(kept, 'a'.repeat(2_000));
    gateSees(kept, 4.321); // not what the bytes say: this test tells where the value came from
    expect((await file('create', (f) => f.path === kept)).entropy).toBe(4.321);

    appendFileSync(kept, 'b'.repeat(1_000));
    gateSees(kept, 1.5); // the collector asks for the appended part: offset 2,000
    expect((await file('write', (f) => f.path === kept)).entropy).toBe(1.5);

    const stale = join(root, 'stale.txt');
    writeFileSync(stale, 'a'.repeat(2_000));
    gateSees(stale, 4.321, { size: 1_999 }); // the file changed after the gate's read
    expect((await file('create', (f) => f.path === stale)).entropy).toBe(0);
    expect(samples.size).toBe(0);
  });
});

describe('helpers', () => {
  it('measures entropy from 0 to 8 bits per byte', () => {
    expect(shannonEntropy(Buffer.alloc(100, 1))).toBe(0);
    expect(shannonEntropy(Buffer.from([0, 1, 0, 1]))).toBe(1);
    expect(shannonEntropy(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))).toBe(8);
  });

  it('agrees with the textbook sum −Σ p·log2 p, for samples and for longer buffers', () => {
    const textbook = (bytes: Uint8Array) => {
      const counts = new Map<number, number>();
      for (const byte of bytes) counts.set(byte, (counts.get(byte) ?? 0) + 1);
      let bits = 0;
      for (const count of counts.values()) bits -= (count / bytes.length) * Math.log2(count / bytes.length);
      return bits;
    };
    for (let n = 1; n <= 9_000; n += 97) {
      const random = randomBytes(n);
      const skewed = Buffer.from(random.map((b) => (b < 200 ? 65 : b)));
      for (const bytes of [random, skewed])
        expect(Math.abs(shannonEntropy(bytes) - textbook(bytes))).toBeLessThan(1e-12);
    }
    // A length below the buffer's: only those bytes count.
    expect(shannonEntropy(Buffer.from([7, 7, 1, 2, 3]), 2)).toBe(0);
  });
});
