// From a release in the CERT layout to the evaluation's report, as someone with the data set
// would go: the importer's command, then `evaluate.ts --input`. The release is synthetic and its
// insider loud (after-hours logons, a first thumb drive, 25 files a night): this checks the chain,
// that labels, users, roles and thumb-drive copies reach the scorer, not how well it detects.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, tempFolders } from '../../lib/script-test.fixture';
import { writeSyntheticRelease } from './synthetic-release';

const IMPORT = join(__dirname, 'import-cert.ts');
const EVALUATE = join(__dirname, '../../evaluate/evaluate.ts');
const tempFolder = tempFolders();

describe('a CERT-layout release, imported and evaluated', () => {
  it('gives the report with the insider scenario, its days and its thumb-drive reason', async () => {
    const dir = await tempFolder('cert-evaluation');
    const release = join(dir, 'r4.2');
    await writeSyntheticRelease(release, { users: 30, days: 19, webPerDay: 10, usbEvery: 5, insiderFromDay: 14 });
    const events = join(dir, 'events.ndjson');

    const imported = runScript(IMPORT, ['--dir', release, '--answers', join(release, 'answers'), '--out', events]);
    expect(imported.status).toBe(0);
    expect(imported.stderr).toContain('labelled: cert_scenario_1 135 events, 5 user-days');

    const evaluated = runScript(EVALUATE, [
      '--input',
      events,
      '--train-days',
      '12',
      '--variants',
      'combined',
      '--epochs',
      '2',
    ]);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.status).toBe(0);
    expect(evaluated.stdout).toContain('recording events.ndjson, 30 users, 19 days from 2010-01-04 (trained on 12)');
    expect(evaluated.stdout).toContain('0 bad lines skipped; scoring from 2010-01-16');
    expect(evaluated.stdout).toMatch(/\n {2}cert_scenario_1 +5 /);
    expect(evaluated.stdout).toMatch(/cert_scenario_1 +1\/1 incidents.*wrote 25 files to a USB drive/);
    expect(evaluated.stdout).toMatch(/by role: (Salesman|Technician|ITAdmin|Engineer) /);
  }, 60_000);
});
