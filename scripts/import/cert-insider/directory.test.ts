import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLdapFolder, loadDirectory, snapshotOrder } from './directory';
import { tempFolders } from '../../lib/script-test.fixture';

const tempFolder = tempFolders();
const fixtureRelease = join(__dirname, 'fixtures', 'r4.2');
const HEADER = 'employee_name,user_id,email,role,business_unit,functional_unit,department,team,supervisor';

async function ldap(files: Record<string, string>): Promise<string> {
  const dir = join(await tempFolder('cert-ldap'), 'ldap');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('loadDirectory', () => {
  it('gives each user the facts of the latest snapshot that lists them (the fixture release)', async () => {
    const folder = await findLdapFolder(fixtureRelease);
    expect(folder).toBe(join(fixtureRelease, 'LDAP'));
    const directory = await loadDirectory(folder!);
    expect(directory.snapshots).toEqual(['2009-12.csv', '2010-01.csv']);
    expect(Object.fromEntries(directory.facts)).toEqual({
      // Not in 2010-01: keeps 2009-12.
      KLM0001: { role: 'Salesman', unit: '2 - Sales And Marketing' },
      // No functional unit: the department.
      QRS0002: { role: 'ITAdmin', unit: '3 - Information Technology' },
      // 2010-01 wins, trimmed; the quoted name with a comma does not shift the columns.
      TUV0003: { role: 'Lead Engineer', unit: '6 - Manufacturing' },
    });
  });

  it('orders snapshot files by name, oldest month first, and leaves out other files', () => {
    expect(snapshotOrder(['2010-03.csv', 'notes.txt', '2009-12.csv', '2010-01.CSV'])).toEqual([
      '2009-12.csv',
      '2010-01.CSV',
      '2010-03.csv',
    ]);
  });

  it('reads snapshots in name order, whatever order the folder lists them in', async () => {
    const dir = await ldap({
      '2010-03.csv': `${HEADER}\nA,U1,,Late,1,Unit B,,,\n`,
      '2010-02.csv': `${HEADER}\nA,U1,,Early,1,Unit A,,,\n`,
      'notes.txt': 'not a snapshot',
    });
    const directory = await loadDirectory(dir);
    expect(directory.snapshots).toEqual(['2010-02.csv', '2010-03.csv']);
    expect(directory.facts.get('U1')).toEqual({ role: 'Late', unit: 'Unit B' });
  });

  it('reads the older header (role, no unit), cuts long values to 64 and counts rows without a user', async () => {
    const dir = await ldap({
      '2009-12.csv': `employee_name,user_id,email,domain,role\nA,U1,a@x.example,corp,${'R'.repeat(100)}\nB,,b@x.example,corp,Clerk\n"broken,U3\n`,
    });
    const directory = await loadDirectory(dir);
    expect(directory.facts.get('U1')).toEqual({ role: 'R'.repeat(64) });
    expect(directory.badRows).toBe(2);
  });

  it('leaves out empty facts', async () => {
    const dir = await ldap({ '2010-01.csv': `${HEADER}\nA,U1,,  ,1,,,,\n` });
    expect((await loadDirectory(dir)).facts.get('U1')).toEqual({});
  });

  it('refuses a snapshot without a user_id column', async () => {
    const dir = await ldap({ '2010-01.csv': 'name,role\nA,Clerk\n' });
    await expect(loadDirectory(dir)).rejects.toThrow(/no user_id column/);
  });

  it('finds no LDAP folder in a release without one', async () => {
    expect(await findLdapFolder(join(__dirname, 'fixtures', 'r6.2'))).toBeUndefined();
  });
});
