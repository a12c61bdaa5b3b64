import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import type { FoundWriter } from '../../response/process-finder/proc-process-finder';
import { SuspectSearch } from './suspect-search';

const writer = (pid: number, evidence: FoundWriter['evidence'], executable: string): FoundWriter => ({
  pid,
  startTime: 1000 + pid,
  executable,
  evidence,
  uid: 1000,
  openFiles: evidence === 'open_file' ? 1 : 0,
  writtenBytes: 0,
});

function search(found: FoundWriter[]) {
  const asked: string[][] = [];
  const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 9));
  const s = new SuspectSearch({
    finder: { writersIn: (folders) => (asked.push(folders), Promise.resolve(found)) },
    foldersOf: (c) => (c === 'phi' ? ['/srv/phi'] : c === undefined ? ['/srv/phi', '/home/x/Documents'] : []),
    pseudonyms,
  });
  return { s, asked, pseudonyms };
}

describe('SuspectSearch', () => {
  it('names only the processes seen holding files when there are any, executables pseudonymised', async () => {
    const { s, asked, pseudonyms } = search([
      writer(10, 'open_file', '/home/x/Downloads/locker'),
      writer(11, 'io', '/usr/bin/postgres'),
    ]);
    const suspects = await s.find('phi');
    expect(asked).toEqual([['/srv/phi']]);
    expect(suspects).toEqual([{ pid: 10, startTime: 1010, executable: pseudonyms.path('/home/x/Downloads/locker') }]);
    expect(suspects[0].executable).not.toContain('locker');
  });

  it('never names a process on its write counters alone, and asks nothing for a class without folders', async () => {
    const { s } = search([writer(11, 'io', '/usr/bin/node')]);
    expect(await s.find(undefined)).toEqual([]);
    expect(await s.find('removable')).toEqual([]);
  });
});
