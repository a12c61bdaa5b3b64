import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PortableEvent } from '@wardwatch/shared';
import { CsvRecord } from './csv-file';
import {
  baseName,
  CERT_TABLES,
  extensionOf,
  mapCertRow,
  readRowBase,
  REMOVABLE_PREFIX,
  urlRemote,
  type CertTable,
} from './cert-rows';

/** A row as the CSV reader gives it, columns named by the header. */
const row = (fields: Record<string, string>) =>
  new CsvRecord(new Map(Object.keys(fields).map((name, i) => [name, i] as const)), Object.values(fields));

const base = { id: '{T1-00000001}', date: '01/04/2010 07:30:00', user: 'KLM0001', pc: 'PC-0101' };
const map = (table: CertTable, fields: Record<string, string>) => {
  const record = row({ ...base, ...fields });
  const common = readRowBase(record);
  if (!common) throw new Error('bad base');
  return mapCertRow(table, common, record);
};
const eventOf = (table: CertTable, fields: Record<string, string>) => {
  const result = map(table, fields);
  if (!('event' in result)) throw new Error(`skipped: ${result.skip}`);
  return result.event;
};

describe('readRowBase', () => {
  it('takes id, time as UTC, user and host (pc), trimmed', () => {
    expect(readRowBase(row({ ...base, user: ' KLM0001 ' }))).toEqual({
      id: '{T1-00000001}',
      time: Date.parse('2010-01-04T07:30:00Z'),
      user: 'KLM0001',
      host: 'PC-0101',
    });
  });

  it('drops a domain before the user, as the directory names users without it', () => {
    expect(readRowBase(row({ ...base, user: 'DTAA/KLM0001' }))?.user).toBe('KLM0001');
    expect(readRowBase(row({ ...base, user: 'CORP\\KLM0001' }))?.user).toBe('KLM0001');
    expect(readRowBase(row({ ...base, user: 'DTAA/' }))).toBeNull();
  });

  it('is null for a row without id, user or pc, or with a bad date', () => {
    expect(readRowBase(row({ ...base, id: '' }))).toBeNull();
    expect(readRowBase(row({ ...base, user: ' ' }))).toBeNull();
    expect(readRowBase(row({ ...base, pc: '' }))).toBeNull();
    expect(readRowBase(row({ ...base, date: '2010-01-04' }))).toBeNull();
    expect(readRowBase(row({ id: 'x', date: base.date, user: 'u' }))).toBeNull();
  });

  it('cuts a user or host longer than the schema allows', () => {
    const long = readRowBase(row({ ...base, user: 'u'.repeat(1000), pc: 'p'.repeat(300) }));
    expect(long?.user).toHaveLength(256);
    expect(long?.host).toHaveLength(256);
  });
});

describe('mapCertRow', () => {
  const common = { v: 1, time: Date.parse('2010-01-04T07:30:00Z'), host: 'PC-0101', user: 'KLM0001' };

  it('maps logon.csv: Logon and Logoff, any case; anything else is skipped', () => {
    expect(eventOf('logon', { activity: 'Logon' })).toEqual({ ...common, kind: 'logon' });
    expect(eventOf('logon', { activity: 'logoff' })).toEqual({ ...common, kind: 'logoff' });
    expect(map('logon', { activity: 'Unlock' })).toEqual({ skip: 'unknown_activity' });
  });

  it('maps device.csv to a removable USB drive, with or without r6 file_tree', () => {
    expect(eventOf('device', { activity: 'Connect' })).toEqual({
      ...common,
      kind: 'device_connect',
      deviceType: 'usb-storage',
      removable: true,
    });
    expect(eventOf('device', { file_tree: 'R:\\;R:\\docs', activity: 'Disconnect' })).toMatchObject({
      kind: 'device_disconnect',
      removable: true,
    });
    expect(map('device', { activity: 'Eject' })).toEqual({ skip: 'unknown_activity' });
  });

  it('maps an r4 file.csv row (no activity column) to a copy onto the removable drive', () => {
    expect(eventOf('file', { filename: 'C:\\Users\\x\\Q3 Budget.DOCX', content: 'a b' })).toEqual({
      ...common,
      kind: 'file_copy',
      path: 'C:\\Users\\x\\Q3 Budget.DOCX',
      folderClass: 'other',
      extension: 'docx',
      targetPath: `${REMOVABLE_PREFIX}Q3 Budget.DOCX`,
      targetFolderClass: 'removable',
    });
  });

  it('maps r5/r6 file.csv activities with the removable-media flags', () => {
    const r6 = (activity: string, to: string, from: string) =>
      map('file', { filename: 'R:\\7XQ.pdf', activity, to_removable_media: to, from_removable_media: from });
    expect(r6('File Copy', 'True', 'False')).toMatchObject({
      event: {
        kind: 'file_copy',
        folderClass: 'other',
        targetPath: 'removable:\\7XQ.pdf',
        targetFolderClass: 'removable',
      },
    });
    expect(r6('File Copy', 'False', 'TRUE')).toMatchObject({
      event: { kind: 'file_copy', folderClass: 'removable', targetPath: 'R:\\7XQ.pdf', targetFolderClass: 'other' },
    });
    expect(r6('File Write', 'True', 'False')).toMatchObject({
      event: { kind: 'file_write', folderClass: 'removable' },
    });
    expect(r6('File Write', 'False', 'False')).toMatchObject({ event: { kind: 'file_write', folderClass: 'other' } });
    expect(r6('File Delete', 'False', 'True')).toMatchObject({
      event: { kind: 'file_delete', folderClass: 'removable' },
    });
    expect(r6('File Delete', 'False', 'False')).toMatchObject({ event: { kind: 'file_delete', folderClass: 'other' } });
    expect(r6('File Open', 'False', 'False')).toEqual({ skip: 'file_open' });
    expect(r6('File Rename', 'False', 'False')).toEqual({ skip: 'unknown_activity' });
    expect(map('file', { filename: ' ', activity: 'File Write' })).toEqual({ skip: 'bad_row' });
  });

  it('cuts a file name longer than the schema allows, in path and target alike', () => {
    const event = eventOf('file', { filename: `C:\\${'d'.repeat(5000)}.doc`, content: '' });
    expect(event).toMatchObject({ kind: 'file_copy', extension: 'doc' });
    expect(event.kind === 'file_copy' && [event.path.length, event.targetPath.length]).toEqual([4096, 4096]);
    expect(PortableEvent.safeParse(event).success).toBe(true);
  });

  it('maps http.csv to a connection to the URL host, r6 activity or not', () => {
    expect(eventOf('http', { url: 'https://Jobs.Example.com/apply?id=1', content: 'x' })).toEqual({
      ...common,
      kind: 'net_connect',
      remoteAddress: 'jobs.example.com',
      remotePort: 443,
    });
    expect(eventOf('http', { url: 'http://leaks.example.org/a', activity: 'WWW Upload' })).toMatchObject({
      remoteAddress: 'leaks.example.org',
      remotePort: 80,
    });
    expect(map('http', { url: 'not a url' })).toEqual({ skip: 'bad_url' });
  });

  it('skips email.csv rows', () => {
    expect(map('email', { to: 'a@b.example', from: 'c@d.example' })).toEqual({ skip: 'email' });
  });

  it('gives events the schema accepts for any strings in any column', () => {
    const text = fc.string({ unit: 'binary', maxLength: 5000 });
    const table = fc.constantFrom(...CERT_TABLES);
    const activity = fc.constantFrom(
      'Logon',
      'Logoff',
      'Connect',
      'Disconnect',
      'File Copy',
      'File Write',
      'File Delete',
    );
    fc.assert(
      fc.property(table, text, text, text, activity, (t, user, pc, filename, act) => {
        const record = row({
          ...base,
          user: `u${user}`,
          pc: `p${pc}`,
          filename: `f${filename}`,
          url: `http://h.example/${filename}`,
          activity: act,
          to_removable_media: 'True',
        });
        const common = readRowBase(record);
        if (!common) return;
        const result = mapCertRow(t, common, record);
        if ('event' in result) expect(PortableEvent.safeParse(result.event).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('urlRemote keeps a given port and rejects a URL without a host', () => {
    expect(urlRemote('http://h.example:8080/x')).toEqual({ remoteAddress: 'h.example', remotePort: 8080 });
    expect(urlRemote('mailto:someone@h.example')).toBeNull();
    expect(urlRemote(`http://${'a'.repeat(300)}.example/`)).toBeNull();
  });

  it('baseName is the part after the last separator, or the whole path when that is empty', () => {
    expect(baseName('C:\\a/b\\c.txt')).toBe('c.txt');
    expect(baseName('C:\\dir\\')).toBe('C:\\dir\\');
  });

  it('extensionOf takes the last dot of the base name only, lower case, at most 32', () => {
    expect(extensionOf('C:\\dir.v2\\report.PDF')).toBe('pdf');
    expect(extensionOf('/home/x/archive.tar.gz')).toBe('gz');
    expect(extensionOf('C:\\dir.v2\\README')).toBeUndefined();
    expect(extensionOf('.profile')).toBeUndefined();
    expect(extensionOf('name.')).toBeUndefined();
    expect(extensionOf(`a.${'x'.repeat(40)}`)).toHaveLength(32);
  });
});
