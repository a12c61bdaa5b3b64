// The importer as someone with the data set runs it: tsx from source, the fixture release in,
// portable events out that the scorer's reader takes without a bad line, the summary on stderr.
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyReadStats, readPortableEvents, type PortableEvent } from '@wardwatch/shared';
import { runScript, tempFolders } from '../../lib/script-test.fixture';

const CLI = join(__dirname, 'import-cert.ts');
const R42 = join(__dirname, 'fixtures', 'r4.2');
const ANSWERS = join(__dirname, 'fixtures', 'answers');
const run = (args: string[]) => runScript(CLI, args);
const tempFolder = tempFolders();

describe('import-cert', () => {
  it('writes the labelled period as portable events and prints the summary', async () => {
    const folder = await tempFolder('import-cert');
    const out = join(folder, 'events.ndjson');

    const result = run(['--dir', R42, '--answers', ANSWERS, '--from', '2010-01-05', '--days', '1', '--out', out]);

    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('period: 2010-01-05 to 2010-01-06 (exclusive)');
    expect(result.stderr).toContain('labelled: cert_scenario_1 3 events, 1 user-days');
    const stats = emptyReadStats();
    const events: PortableEvent[] = [];
    for await (const event of readPortableEvents(createReadStream(out), undefined, stats)) events.push(event);
    expect(stats.errors).toBe(0);
    expect(events).toHaveLength(11);
    expect(events.filter((e) => e.label === 'cert_scenario_1')).toHaveLength(3);
  });

  it('prints the usage on stdout and refuses a missing release with one line on stderr', () => {
    expect(run(['--help']).stdout).toContain('--answers <folder>');
    const missing = run(['--dir', join(tmpdir(), 'no-such-cert-release'), '--out', '-']);
    expect([missing.status, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toMatch(/^import-cert: .*no-such-cert-release: no such folder\n$/);
  });
});
