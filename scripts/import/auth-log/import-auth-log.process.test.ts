// The importer as a newcomer runs it: tsx from source, a real auth log in, portable events out
// that the scorer's reader takes without a bad line.
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyReadStats, readPortableEvents, type PortableEvent } from '@wardwatch/shared';
import { runScript, tempFolders } from '../../lib/script-test.fixture';

const CLI = join(__dirname, 'import-auth-log.ts');
const MIXED_AUTH = join(__dirname, '../../../agent/src/collectors/logins/attempts/fixtures/mixed-auth.log');
const run = (args: string[]) => runScript(CLI, args);
const tempFolder = tempFolders();

describe('import-auth-log', () => {
  it('prints the counts and writes the logins as portable events of the named host', async () => {
    const folder = await tempFolder('import-auth');
    const out = join(folder, 'events.ndjson');

    const result = run(['--input', MIXED_AUTH, '--year', '2025', '--host', 'ws-ward3', '--out', out]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('failed logons: 41 attempts from 15 sources');
    expect(result.stdout).toContain(`50 portable events written to ${out}`);
    // 41 failures from 15 sources, none above the manager's thresholds.
    expect(result.stdout).toContain('incidents the manager would open over 1 workstation (its defaults:');
    expect(result.stdout).toMatch(/workstations\): 0\n/);
    const stats = emptyReadStats();
    const events: PortableEvent[] = [];
    for await (const event of readPortableEvents(createReadStream(out), undefined, stats)) events.push(event);
    expect(stats.errors).toBe(0);
    expect(events).toHaveLength(50);
    expect(events.filter((e) => e.kind === 'failed_logon')).toHaveLength(41);
    expect(new Set(events.map((e) => e.host))).toEqual(new Set(['ws-ward3']));
    expect(new Date(events[0].time).toISOString()).toBe('2025-11-22T02:14:03.000Z');
    // An account the log does not name is the unknown account of its source, never merged.
    expect(events.filter((e) => e.user.startsWith('(unknown from ')).map((e) => e.user)).toContain(
      '(unknown from scan-7.example.net)',
    );
  });

  it('refuses what it cannot use with a clear message', () => {
    expect(run(['--help']).stdout).toContain('--read-at');
    const missing = run(['--year', '2025']);
    expect([missing.status, missing.stderr]).toEqual([1, 'import-auth-log: --input: the auth log to read\n']);
    const both = run(['--input', MIXED_AUTH, '--year', '2025', '--read-at', '2025-01-01T00:00:00Z']);
    expect(both.stderr).toContain('--year or --read-at, not both');
    expect(run(['--input', MIXED_AUTH, '--input', MIXED_AUTH]).stderr).toContain('two logs named mixed-auth');
    expect(run(['--input', join(tmpdir(), 'no-such-auth.log')]).stderr).toMatch(/ENOENT/);
  });
});
