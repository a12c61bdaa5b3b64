import { describe, expect, it } from 'vitest';
import { formatPortableLine } from '@wardwatch/shared';
import { simulate } from '../simulator/simulate';
import { formatRecordingReport } from './evaluate';
import { readRecording } from './recording';
import { scoreVariants, type ScoringRun } from './run-evaluation';
import { linesFile, tempFolders } from '../lib/script-test.fixture';

const DAY_MS = 86_400_000;
const tempFolder = tempFolders();
const run: ScoringRun = {
  windowMinutes: 1440,
  dayBoundary: 'shift',
  epochs: 1,
  settings: {},
  variants: ['combined_no_model'],
};

const write = async (lines: string[]) => linesFile(await tempFolder('recording'), 'events.ndjson', lines);

describe('readRecording', () => {
  it('learns on the first days from the first midnight, skips bad lines and reads roles', async () => {
    const start = Date.UTC(2010, 0, 4);
    const event = (day: number, user: string, role?: string) =>
      JSON.stringify({ v: 1, time: start + day * DAY_MS + 9 * 3_600_000, host: 'pc-1', user, kind: 'logon', role });
    const path = await write([event(0, 'ann', 'nurse'), '{"v":2}', 'not json', event(5, 'bob'), event(8, 'bob', 'it')]);

    const recording = await readRecording(path, { trainDays: 6 });

    expect(recording.events).toHaveLength(3);
    expect(recording.start).toBe(start);
    expect(recording.days).toBe(9);
    expect(recording.attackFrom).toBe(start + 6 * DAY_MS);
    expect(recording.users).toBe(2);
    expect([recording.roleOf('ann'), recording.roleOf('bob'), recording.roleOf('eve')]).toEqual(['nurse', 'it', '?']);
    expect(recording.read.errorsByReason).toEqual({ version: 1, json: 1 });
    expect(recording.badLines).toEqual([expect.stringMatching(/^line 2: /), expect.stringMatching(/^line 3: /)]);
    // Two thirds of its days by default.
    expect((await readRecording(path)).trainDays).toBe(6);
    // Or cut at a time: day 5's event is learned, day 8's scored.
    const cut = await readRecording(path, { trainUntil: start + 5.5 * DAY_MS });
    expect([cut.attackFrom, cut.trainDays]).toEqual([start + 5.5 * DAY_MS, 5.5]);
  });

  it('refuses a recording with no event or too short to both learn and score', async () => {
    await expect(readRecording(await write(['{}']))).rejects.toThrow(/no event could be read/);
    const one = JSON.stringify({ v: 1, time: Date.UTC(2010, 0, 4, 9), host: 'h', user: 'u', kind: 'logon' });
    await expect(readRecording(await write([one]))).rejects.toThrow(/spans 1 days/);
    await expect(readRecording(await write([one, one]), { trainDays: 0 })).rejects.toThrow(/--train-days/);
    await expect(readRecording(await write([one, one]), { trainUntil: Date.UTC(2010, 0, 4, 9) })).rejects.toThrow(
      /--train-until: the recording runs from 2010-01-04T09:00:00.000Z to 2010-01-04T09:00:00.000Z/,
    );
  });
});

describe('evaluating a recording', () => {
  it('gives the figures of the simulation it was written from', async () => {
    const sim = simulate({ days: 12, users: 24, seed: 5, difficulty: 'classic', attackFromDay: 8 });
    const path = await write(sim.events.map(formatPortableLine));
    const recording = await readRecording(path, { trainDays: 8 });
    expect(recording.attackFrom).toBe(sim.attackFrom);

    const role = new Map(sim.hospital.staff.map((s) => [s.user, s.role]));
    const [direct] = await scoreVariants(
      { events: sim.events, attackFrom: sim.attackFrom, roleOf: (user) => role.get(user) ?? '?' },
      run,
    );
    const [read] = await scoreVariants(recording, run);

    expect(read.attackUserDays).toBeGreaterThan(0);
    expect({ ...read, seconds: 0 }).toEqual({ ...direct, seconds: 0 });
    const report = formatRecordingReport(recording, [read], run);
    // 13 days: the last night shift ends on the morning after the twelfth.
    const from = new Date(sim.start).toISOString().slice(0, 10);
    expect(report).toContain(`recording events.ndjson, 24 users, 13 days from ${from} (trained on 8)`);
    expect(report).toContain(`${sim.events.length} events read, 0 bad lines skipped`);
    for (const s of read.scenarios) expect(report).toContain(s.scenario);
    expect(report).not.toContain('no labelled user-day scored');

    // Without labels: the site's alert rate, and no AUC or recall made up.
    const unlabelled = await readRecording(
      await write(sim.events.map((e) => formatPortableLine({ ...e, label: undefined }))),
      { trainDays: 8 },
    );
    const [plain] = await scoreVariants(unlabelled, run);
    const text = formatRecordingReport(unlabelled, [plain], run);
    expect(plain.attackUserDays).toBe(0);
    expect(text).toContain('no labelled user-day scored: recall and AUC need ground truth');
    expect(text).toMatch(/combined_no_model +n\/a +n\/a +n\/a +\d+\.\d/);
  });
});
