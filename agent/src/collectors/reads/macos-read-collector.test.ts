// The macOS reads collector through a real child process: the spawner starts node
// printing the lines `eslogger open` prints (eslogger is not on this machine), so the
// real line reader, parser, name lookup and reporter run on them.
import type { FileActivity } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { PathClassifier } from '../../paths/path-classifier';
import { RecordingSink } from '../collector-test-sink.fixture';
import { IdUserNames } from '../id-user-names';
import { dyingSpawner, healthOnceReported, PrintingSpawner } from '../printing-spawner.fixture';
import { ComponentHealthRegistry } from '../../status/component-health';
import { ESLOGGER, MacosReadCollector, mayNameFolder } from './macos-read-collector';
import { esloggerOpen } from './macos-read-event.fixture';

const PHI = '/Users/Shared/PHI';

describe('MacosReadCollector', () => {
  it("reports a person's reads of patient files by account name, counts the rest, parses only lines naming the folder", async () => {
    const spawner = new PrintingSpawner(
      [
        esloggerOpen({ at: 1 }),
        esloggerOpen({ at: 2 }), // the same chart again within the window
        esloggerOpen({ at: 3, path: `${PHI}/icu/3/chart2.pdf`, signingId: 'com.apple.mdworker_shared' }),
        esloggerOpen({ at: 4, path: '/Users/ana/Library/Caches/x.db' }), // not patient data: never parsed
        '{"time": "not json, and naming nothing of ours',
        esloggerOpen({ at: 5, path: `${PHI}/onc/1/chart4.pdf`, auid: 502, pid: 900 }),
        `${esloggerOpen({ at: 6 }).slice(0, 40)} PHI`, // a broken line that names the folder
      ],
      'darwin',
    );
    const health = new ComponentHealthRegistry(() => 1_000);
    const asked: number[] = [];
    const userNames = new IdUserNames((uid) => {
      asked.push(uid);
      return Promise.resolve(uid === 501 ? 'nurse.ana' : undefined);
    });
    const collector = new MacosReadCollector({
      spawner,
      folders: [PHI],
      classify: new PathClassifier([{ path: PHI, class: 'phi' }]),
      windowMs: 10 * 60_000,
      maxPerMinute: 100,
      ignoreExecutables: [],
      userNames,
      health,
    });
    const sink = new RecordingSink();
    await collector.start(sink);
    try {
      await sink.waitFor((s) => (s.errors.length > 0 && s.events.length === 2 ? true : undefined), 'two reads');
    } finally {
      await collector.stop();
    }
    expect(spawner.asked).toEqual([{ command: ESLOGGER, args: ['open'] }]);
    const reads = sink.events.map((e) => ({ user: e.user, ...(e.detail?.value as FileActivity) }));
    expect(reads.map((r) => [r.user, r.action, r.path, r.folderClass, r.pid])).toEqual([
      ['nurse.ana', 'read', `${PHI}/icu/3/chart1.pdf`, 'phi', 812],
      ['uid:502', 'read', `${PHI}/onc/1/chart4.pdf`, 'phi', 900],
    ]);
    expect(collector.stats).toMatchObject({ seen: 4, reported: 2, repeated: 1, unattended: 1 });
    expect(sink.errors).toEqual([{ collector: 'reads', reason: 'macOS event is not valid JSON' }]);
    expect(asked.sort()).toEqual([501, 502]); // each uid asked once
    // eslogger prints: Endpoint Security sees every open, no rule to check.
    expect(health.list()).toEqual([{ name: 'collector.reads.rule', state: 'running', message: '', sinceMs: 1_000 }]);
  });
});

describe('MacosReadCollector health', () => {
  it("says collector.reads failed, in eslogger's words, while eslogger cannot run", async () => {
    const health = new ComponentHealthRegistry(() => 1_000);
    const spawner = dyingSpawner('darwin', 'ERROR: Not permitted', 69);
    const collector = new MacosReadCollector({
      spawner,
      folders: [PHI],
      classify: new PathClassifier([{ path: PHI, class: 'phi' }]),
      windowMs: 60_000,
      maxPerMinute: 10,
      ignoreExecutables: [],
      health,
    });
    const run = { start: () => collector.start(new RecordingSink()), stop: () => collector.stop() };
    expect(await healthOnceReported(health, run)).toEqual([
      {
        name: 'collector.reads',
        state: 'failed',
        message: 'eslogger exited (code 69, signal none): ERROR: Not permitted; restarting',
        sinceMs: 1_000,
      },
    ]);
  });
});

describe('mayNameFolder', () => {
  it("lets through a line holding the folder's longest plain segment, however JSON escapes the rest", () => {
    const may = mayNameFolder(['/Users/Shared/Patient-Records', '/Volumes/Akten Größe/Befunde']);
    expect(may('{"path":"\\/Users\\/Shared\\/Patient-Records\\/a.pdf"}')).toBe(true);
    expect(may('{"path":"/Volumes/Akten Gr\\u00f6\\u00dfe/Befunde/b.pdf"}')).toBe(true);
    expect(may('{"path":"/Users/ana/Library/x.db"}')).toBe(false);
    expect(mayNameFolder(['/Users/Shared/PHI'])('{"path":"/Users/Shared/x"}')).toBe(false); // PHI, not Shared
    expect(mayNameFolder(['/Users/Shared/病历'])('{"path":"/Users/Shared/x"}')).toBe(true); // Shared, then
    expect(mayNameFolder(['/病历'])('{"path":"/x"}')).toBe(true); // no plain segment: every line
  });
});
