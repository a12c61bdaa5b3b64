import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './score-cli';
import { CSV_HEADER } from './offline-scorer';

const fixture = join(__dirname, 'fixtures', 'small-hospital.ndjson');

describe('offline scoring CLI', () => {
  it('learns before the cut-off and writes one row per user-day after it, with reasons', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ww-cli-'));
    const log: string[] = [];
    const code = await runCli(
      [
        '--input',
        fixture,
        '--train-until',
        '2026-01-16T00:00:00Z',
        '--out-csv',
        join(out, 's.csv'),
        '--out-json',
        join(out, 's.json'),
        '--inline',
        '--epochs',
        '5',
        '--model-dir',
        join(out, 'model'),
      ],
      (line) => log.push(line),
    );
    expect(code).toBe(0);
    expect(log).toContain('line 101: time: Invalid ISO datetime');
    expect(log).toContain('line 102: unknown kind "teleport"');
    expect(log.some((l) => /^read 1958 events from 1960 lines \(2 bad/.test(l))).toBe(true);

    const [header, ...rows] = (await readFile(join(out, 's.csv'), 'utf8')).trim().split('\n');
    expect(header).toBe(CSV_HEADER);
    const json = JSON.parse(await readFile(join(out, 's.json'), 'utf8')) as {
      user: string;
      start: number;
      end: number;
      alert: boolean;
      labels: string[];
      ruleIds: string[];
    }[];
    expect(rows).toHaveLength(json.length);
    expect(json.length).toBeGreaterThan(15);
    // Windows that ended by the cut-off were learned; one that spans it (a night worker's day) is scored.
    const cutOff = Date.parse('2026-01-16T00:00:00Z');
    expect(json.every((r) => r.end > cutOff && r.start > cutOff - 86_400_000)).toBe(true);
    const keys = json.map((r) => `${r.user}@${r.start}`);
    expect(new Set(keys).size).toBe(keys.length);

    const brute = json.find((r) => r.labels.includes('brute_force'));
    expect(brute).toMatchObject({ alert: true, ruleIds: ['brute-force'] });
    const departing = rows.find((r) => r.includes('departing_employee'));
    expect(departing?.split(',')[4]).toBe('1');
    expect(departing).toMatch(/files to a USB drive|removable media/);
    expect(json.filter((r) => r.labels.length === 0 && r.alert)).toEqual([]);
  }, 30_000);

  it('refuses a site config with an unknown or invalid setting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ww-cli-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'site.yaml'), 'alertThreshold: 140\nalertThreshhold: 50\n');
    await expect(
      runCli(
        ['--input', fixture, '--train-until', '2026-01-16T00:00:00Z', '--config', join(dir, 'site.yaml')],
        () => {},
      ),
    ).rejects.toThrow(/site.yaml: alertThreshold: .*; \(root\): Unrecognized key: "alertThreshhold"/);
  });

  it('prints usage without its required flags', async () => {
    const log: string[] = [];
    expect(await runCli(['--input', fixture], (l) => log.push(l))).toBe(2);
    expect(log[0]).toMatch(/usage: wardwatch-score --input/);
  });
});
