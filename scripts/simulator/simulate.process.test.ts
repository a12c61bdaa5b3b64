// The simulator's command as a newcomer runs it: a recording for `evaluate --input`, or a clear error.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARD_SCENARIOS } from './scenarios';
import { SIMULATION_START } from './simulate';
import { runScript, tempFolders } from '../lib/script-test.fixture';

const CLI = join(__dirname, 'simulate.ts');
const run = (args: string[]) => runScript(CLI, args);
const tempFolder = tempFolders();

describe('simulate', () => {
  it('writes the hard hospital with all of its scenarios from --train-days on', async () => {
    const folder = await tempFolder('simulate');
    const out = join(folder, 'events.ndjson');

    const result = run(['--difficulty', 'hard', '--days', '19', '--train-days', '12', '--users', '60', '--out', out]);

    expect(result.status).toBe(0);
    const events = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { time: string; label?: string });
    const labelled = events.filter((e) => e.label);
    expect(new Set(labelled.map((e) => e.label))).toEqual(new Set(HARD_SCENARIOS));
    const first = Math.min(...labelled.map((e) => Date.parse(e.time)));
    expect(first).toBeGreaterThanOrEqual(SIMULATION_START + 12 * 86_400_000);
    expect(result.stderr).toContain(`${events.length} events, 60 users, 19 days`);
  });

  it('explains its flags and refuses what it cannot use', () => {
    expect(run(['--help']).stdout).toContain('--train-days');
    const bad = run(['--days', 'ten']);
    expect([bad.status, bad.stderr]).toEqual([1, 'simulate: --days: a whole number from 2 to 3650\n']);
    expect(run(['--days', '10', '--train-days', '10']).stderr).toContain('--train-days: a whole number from 1 to 9');
    expect(run(['--difficulty', 'easy']).stderr).toContain('--difficulty: classic or hard');
  });
});
