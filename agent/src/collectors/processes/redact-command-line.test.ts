import { describe, expect, it } from 'vitest';
import { capUtf8, redactCommandLine } from './redact-command-line';

const cases: Array<[string, string[], string]> = [
  ['key=value password', ['/usr/bin/app', 'password=hunter2', 'user=alice'], '/usr/bin/app password=*** user=alice'],
  ['--password=', ['backup', '--password=s3cr3t!', '--host', 'db1'], 'backup --password=*** --host db1'],
  ['--password separate', ['backup', '--password', 's3cr3t!', '--verbose'], 'backup --password *** --verbose'],
  ['--db-password separate', ['app', '--db-password', 'x1', 'run'], 'app --db-password *** run'],
  ['--token', ['agent', '--token', 'eyJhbGciOi.abc.def'], 'agent --token ***'],
  ['--api-key=', ['cli', '--api-key=AKIA123'], 'cli --api-key=***'],
  [
    'env-style',
    ['env', 'PGPASSWORD=pw', 'AWS_SECRET_ACCESS_KEY=abc', 'LANG=C'],
    'env PGPASSWORD=*** AWS_SECRET_ACCESS_KEY=*** LANG=C',
  ],
  [
    'java -D property',
    ['java', '-Djavax.net.ssl.keyStorePassword=changeit', '-jar', 'pacs.jar'],
    'java -Djavax.net.ssl.keyStorePassword=*** -jar pacs.jar',
  ],
  ['mysql -p attached', ['/usr/bin/mysql', '-uroot', '-pS3cret', 'emr'], '/usr/bin/mysql -uroot -p*** emr'],
  ['mysql -p prompt', ['mysql', '-u', 'root', '-p', 'emr'], 'mysql -u root -p emr'],
  ['mysqldump --password=', ['mysqldump', '--password=pw', 'emr'], 'mysqldump --password=*** emr'],
  ['sshpass -p', ['sshpass', '-p', 'pw', 'ssh', 'host'], 'sshpass -p *** ssh host'],
  ['psql -p is a port', ['psql', '-h', 'db', '-p', '5432', 'emr'], 'psql -h db -p 5432 emr'],
  ['redis-cli -a', ['redis-cli', '-h', 'cache', '-a', 'pw', 'ping'], 'redis-cli -h cache -a *** ping'],
  ['curl -u', ['curl', '-u', 'svc:pw', 'https://pacs/api'], 'curl -u svc:*** https://pacs/api'],
  [
    'curl auth header',
    ['curl', '-H', 'Authorization: Bearer abc.def', 'https://x'],
    'curl -H Authorization: *** https://x',
  ],
  ['smbclient -U', ['smbclient', '//fs/scans', '-U', 'ward%pw'], 'smbclient //fs/scans -U ward%***'],
  [
    'openssl -pass',
    ['openssl', 'enc', '-aes256', '-pass', 'pass:pw', '-in', 'f'],
    'openssl enc -aes256 -pass *** -in f',
  ],
  ['openssl pass: attached elsewhere', ['tool', 'pass:pw'], 'tool pass:***'],
  [
    'URL credentials',
    ['git', 'clone', 'https://alice:pw@git.example.org/r.git'],
    'git clone https://alice:***@git.example.org/r.git',
  ],
  [
    'URL query token',
    ['wget', 'https://x/dl?file=a&token=abc123&sig=zz'],
    'wget https://x/dl?file=a&token=***&sig=***',
  ],
  [
    'postgres URL',
    ['app', 'postgres://emr:pw@db:5432/emr?sslmode=require'],
    'app postgres://emr:***@db:5432/emr?sslmode=require',
  ],
  ['nothing secret', ['/usr/bin/sleep', '30'], '/usr/bin/sleep 30'],
  ['Windows exe', ['C:\\Tools\\mysql.exe', '-pX'], 'C:\\Tools\\mysql.exe -p***'],
];

describe('redactCommandLine', () => {
  it.each(cases)('%s', (_name, argv, expected) => {
    expect(redactCommandLine(argv)).toBe(expected);
  });

  it('caps at 2 KiB of UTF-8 after redacting', () => {
    const line = redactCommandLine(['x', 'é'.repeat(3000), '--password', 'tail-secret']);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(2048);
    expect(line.endsWith('…')).toBe(true);
    expect(line).not.toContain('tail-secret');
    expect(line).not.toContain('\ufffd');
  });

  it('caps without splitting characters', () => {
    expect(capUtf8('ab😀cd', 6)).toBe('ab…');
    expect(capUtf8('short', 10)).toBe('short');
  });
});
