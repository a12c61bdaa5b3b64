// Event 4663 as the Security-log query prints it: the fields Windows writes for a
// file opened under a SACL that audits ReadData (Windows 10/11, Server 2019+).
import { describe, expect, it } from 'vitest';
import { parseWindowsReadEvent } from './windows-read-event';

type Data = Record<string, string | null>;

const PERSON: Data = {
  SubjectUserSid: 'S-1-5-21-3623811015-3361044348-30300820-1104',
  SubjectUserName: 'nurse.ana',
  SubjectDomainName: 'HOSP',
  SubjectLogonId: '0x3c1f2a',
  ObjectServer: 'Security',
  ObjectType: 'File',
  ObjectName: 'D:\\PHI\\icu\\3\\chart1.pdf',
  HandleId: '0x1f4',
  AccessList: '%%4416\r\n\t\t\t\t',
  AccessMask: '0x1',
  ProcessId: '0x1a2c',
  ProcessName: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
  ResourceAttributes: 'S:AI',
};

const line = (data: Data = {}, change: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 4663,
    time: '2026-11-22T09:11:12.1234567Z',
    recordId: 81234,
    computer: 'WS-ICU-07',
    data: { ...PERSON, ...data },
    ...change,
  });

describe('parseWindowsReadEvent', () => {
  it("reads a person's ReadData open of a file: path, time, program, pid and account", () => {
    expect(parseWindowsReadEvent(line())).toEqual({
      kind: 'read',
      read: {
        path: 'D:\\PHI\\icu\\3\\chart1.pdf',
        timeMs: Date.parse('2026-11-22T09:11:12.123Z'),
        process: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
        pid: 0x1a2c,
        user: 'nurse.ana',
        owner: '',
      },
    });
  });

  it('keeps a mask holding ReadData among others, and the path normalised', () => {
    const r = parseWindowsReadEvent(
      line({ AccessMask: '0x120089', ObjectName: 'D:\\PHI\\icu\\..\\icu\\.\\3\\chart2.pdf' }),
    );
    expect(r).toMatchObject({ kind: 'read', read: { path: 'D:\\PHI\\icu\\3\\chart2.pdf' } });
  });

  it('takes a service or a machine account as no person behind the read', () => {
    const services: Data[] = [
      { SubjectUserName: 'WS-ICU-07$', SubjectLogonId: '0x3e7' },
      { SubjectUserName: 'SYSTEM', SubjectDomainName: 'NT AUTHORITY' },
      { SubjectUserName: 'svc-backup', SubjectLogonId: '0x3E5' },
      { SubjectUserName: '-' },
    ];
    for (const data of services)
      expect(parseWindowsReadEvent(line(data)), JSON.stringify(data)).toMatchObject({
        kind: 'read',
        read: { user: undefined },
      });
  });

  it('ignores writes, permission reads, other objects, other events and volumes without a letter', () => {
    for (const [data, change] of [
      [{ AccessMask: '0x2' }, {}],
      [{ AccessMask: '0x20000' }, {}],
      [{ AccessMask: '0x80' }, {}],
      [{ ObjectType: 'Key', ObjectName: '\\REGISTRY\\MACHINE\\SOFTWARE' }, {}],
      [{ ObjectName: '\\Device\\HarddiskVolume3\\PHI\\chart.pdf' }, {}],
      [{ ObjectName: '\\\\fs01\\phi\\chart.pdf' }, {}],
      [{}, { id: 4656 }],
    ] as const)
      expect(parseWindowsReadEvent(line(data, change)), JSON.stringify(data)).toEqual({ kind: 'ignored' });
  });

  it('says what is wrong with a record it cannot use', () => {
    const reasons = [
      '{"id":4663',
      JSON.stringify({ id: 4663, time: 'now' }),
      line({}, { time: 'yesterday' }),
      line({ AccessMask: 'read' }),
      line({ ObjectName: `D:\\PHI\\${'x'.repeat(5_000)}.pdf` }),
      line({ SubjectUserName: 'u'.repeat(300) }),
    ].map((l) => {
      const r = parseWindowsReadEvent(l);
      return r.kind === 'error' ? r.reason : r.kind;
    });
    expect(reasons).toEqual([
      'Windows event is not valid JSON',
      'Windows event lacks fields: data',
      'Windows read event with an unreadable time',
      'Windows read event with an unreadable access mask',
      'Windows read event with a path of 5011 characters',
      'Windows read event with an account name over 256 characters',
    ]);
  });
});
