// Directory facts (role, unit) per user from CERT's monthly LDAP snapshots
// (`LDAP/YYYY-MM.csv`). A user keeps the facts of the latest snapshot that lists
// them, so someone who left still has a role. The whole period's facts are used
// for every event: CERT's roles barely change, and peer groups need one role.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cap, LIMITS } from './field-limits';
import { missingColumns, openCsvFile, type CsvRecord } from './csv-file';

export interface DirectoryFacts {
  role?: string;
  unit?: string;
}

export interface Directory {
  facts: ReadonlyMap<string, DirectoryFacts>;
  /** Snapshot file names in the order read (the last one wins). */
  snapshots: readonly string[];
  /** Rows that could not be read (a bad CSV line, no user_id). */
  badRows: number;
}

/** The LDAP folder of a release (`LDAP`, any case), or undefined if it has none. */
export async function findLdapFolder(releaseDir: string): Promise<string | undefined> {
  const entries = await readdir(releaseDir, { withFileTypes: true });
  const folder = entries.find((entry) => entry.isDirectory() && entry.name.toLowerCase() === 'ldap');
  return folder ? join(releaseDir, folder.name) : undefined;
}

/** Reads every `*.csv` of the folder in name order (YYYY-MM sorts by month). */
export async function loadDirectory(ldapDir: string): Promise<Directory> {
  const entries = await readdir(ldapDir, { withFileTypes: true });
  const names = snapshotOrder(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
  const facts = new Map<string, DirectoryFacts>();
  let badRows = 0;
  for (const name of names) {
    const file = await openCsvFile(join(ldapDir, name));
    if (missingColumns(file.columns, ['user_id']).length > 0) {
      file.close();
      throw new Error(`${join(ldapDir, name)}: no user_id column in the header`);
    }
    for await (const row of file.rows) {
      const user = 'record' in row ? row.record.get('user_id')?.trim() : undefined;
      if (!user || !('record' in row)) {
        badRows += 1;
        continue;
      }
      facts.set(cap(user, LIMITS.name), directoryFacts(row.record));
    }
  }
  return { facts, snapshots: names, badRows };
}

/** The `*.csv` names, oldest first: `YYYY-MM` sorts by month, whatever order the folder lists. */
export function snapshotOrder(names: readonly string[]): string[] {
  return names.filter((name) => name.toLowerCase().endsWith('.csv')).sort();
}

/** Role as written (e.g. `ITAdmin`); unit: functional_unit, else department (older releases have neither). */
export function directoryFacts(record: CsvRecord): DirectoryFacts {
  const role = clean(record.get('role'));
  const unit = clean(record.get('functional_unit')) ?? clean(record.get('department'));
  return { ...(role && { role }), ...(unit && { unit }) };
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? cap(trimmed, LIMITS.directory) : undefined;
}
