import { createReadStream, createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emptyReadStats, readPortableEvents } from '@wardwatch/shared';
import { parseImportArgs, runImportCli } from './import-cert';
import { tempFolders } from '../../lib/script-test.fixture';

const tempFolder = tempFolders();

const r42 = join(__dirname, 'fixtures', 'r4.2');
const answers = join(__dirname, 'fixtures', 'answers');
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function cli(argv: string[]) {
  const log: string[] = [];
  const code = await runImportCli(argv, {
    log: (text) => log.push(text),
    print: (text) => log.push(`stdout: ${text}`),
  });
  return { code, log: log.join('\n') };
}

describe('parseImportArgs', () => {
  it('turns --from and --days into a period [from, from + days)', () => {
    const parsed = parseImportArgs(['--dir', 'r4.2', '--out', 'e.ndjson', '--from', '2010-01-02', '--days', '19']);
    expect(parsed).toMatchObject({
      out: 'e.ndjson',
      options: {
        releaseDir: 'r4.2',
        from: Date.parse('2010-01-02T00:00:00Z'),
        until: Date.parse('2010-01-21T00:00:00Z'),
      },
    });
  });

  it('takes --skip as a set of tables, never logon', () => {
    const parsed = parseImportArgs(['--dir', 'd', '--out', 'o', '--skip', 'http,email']);
    expect('options' in parsed && parsed.options.skip).toEqual(new Set(['http', 'email']));
    expect(parseImportArgs(['--dir', 'd', '--out', 'o', '--skip', 'logon'])).toEqual({
      message: '--skip: logon: not one of device, file, http, email',
    });
  });

  it('says what is wrong with a command line', () => {
    const message = (argv: string[]) => {
      const parsed = parseImportArgs(argv);
      return 'message' in parsed ? parsed.message.split('\n')[0] : undefined;
    };
    expect(message(['--out', 'o'])).toBe('--dir and --out are required');
    expect(message(['--dir', 'd', '--out', 'o', '--days', '7'])).toBe('--days needs --from');
    expect(message(['--dir', 'd', '--out', 'o', '--from', '2010-01-02', '--days', '1.5'])).toMatch(/^--days: a whole/);
    expect(message(['--dir', 'd', '--out', 'o', '--from', '01/02/2010'])).toMatch(/^--from: a day as YYYY-MM-DD/);
    expect(message(['--dir', 'd', '--out', 'o', '--bogus'])).toMatch(/bogus/);
  });
});

describe('runImportCli', () => {
  it('writes the NDJSON file and prints the summary, exit 0', async () => {
    const out = join(await tempFolder('cert-cli'), 'events.ndjson');
    const { code, log } = await cli(['--dir', r42, '--answers', answers, '--out', out]);
    expect(code).toBe(0);
    const stats = emptyReadStats();
    let events = 0;
    for await (const _ of readPortableEvents(createReadStream(out), undefined, stats)) events += 1;
    expect([events, stats.errors]).toEqual([22, 0]);
    expect(log).toContain(
      'events written: 22 (logon 8, logoff 4, device_connect 2, device_disconnect 2, file_copy 2, net_connect 4)',
    );
    expect(log).toContain(
      'rows skipped: outside_period 0, email 2, file_open 0, bad_row 2, bad_url 1, unknown_activity 0, invalid 1',
    );
    expect(log).toContain('labelled: cert_scenario_1 6 events, 2 user-days');
    expect(log).toContain('labelled rows not written: email 1');
    expect(log).toContain('utcOffsetMinutes 0');
  });

  it('exits 1 with a clear message, and creates no output, for a missing folder', async () => {
    const out = join(await tempFolder('cert-cli'), 'events.ndjson');
    const { code, log } = await cli(['--dir', join(r42, 'missing'), '--out', out]);
    expect(code).toBe(1);
    expect(log).toMatch(/^import-cert: .*missing: no such folder$/);
    expect(await exists(out)).toBe(false);
  });

  it('exits 1 and removes a half-written file when the output fails', async () => {
    const out = join(await tempFolder('cert-cli'), 'events.ndjson');
    // A real file whose disk fills up after three lines.
    const fillingUp = (path: string) => {
      const file = createWriteStream(path);
      let writes = 0;
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          writes += 1;
          if (writes > 3) done(new Error('disk full'));
          else file.write(chunk, () => done());
        },
        destroy(error, done) {
          file.destroy();
          done(error);
        },
      });
    };
    const log: string[] = [];
    const code = await runImportCli(['--dir', r42, '--out', out], {
      log: (text) => log.push(text),
      openOut: fillingUp,
    });
    expect(code).toBe(1);
    expect(log).toEqual([`import-cert: disk full (${out} removed)`]);
    expect(await exists(out)).toBe(false);
  });

  it('prints the usage for --help on stdout, exit 0, and a bad flag on stderr, exit 1', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.log).toMatch(/^stdout: usage: npx tsx scripts\/import\/cert-insider\/import-cert\.ts/);
    expect(await cli(['--dir', r42, '--out', 'o', '--days', '7'])).toEqual({
      code: 1,
      log: 'import-cert: --days needs --from',
    });
  });
});
