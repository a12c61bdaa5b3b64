import { describe, expect, it } from 'vitest';
import {
  auditsReads,
  FILE_SYSTEM_SUBCATEGORY,
  powerShellReadAudit,
  WindowsReadAuditCheck,
  windowsReadAuditFinding,
  windowsReadAuditScript,
} from './windows-read-audit';

const FOLDERS = ['D:\\PHI', 'E:\\Scans'];
/** Everyone, successful reads, inherited by subfolders and files: what the agent README asks for. */
const READS = { rights: 0x1, flags: 1, inherit: 3, propagate: 0 };
const output = (policy: number | null, ...folders: object[]) => JSON.stringify({ policy, folders });

describe('Windows read audit', () => {
  it('takes an entry for successful reads of the files below: ReadData, Read, FullControl or generic rights', () => {
    expect(auditsReads(READS)).toBe(true);
    expect(auditsReads({ ...READS, rights: 0x120089 })).toBe(true); // Read (ReadData, attributes, permissions, sync)
    expect(auditsReads({ ...READS, rights: 0x1f01ff })).toBe(true); // FullControl
    expect(auditsReads({ ...READS, rights: -2147483648 })).toBe(true); // GENERIC_READ, as a signed int
    expect(auditsReads({ ...READS, rights: 0x10000000 })).toBe(true); // GENERIC_ALL
    expect(auditsReads({ ...READS, flags: 3 })).toBe(true); // success and failure
    expect(auditsReads({ ...READS, rights: 0x116 })).toBe(false); // write and append only
    expect(auditsReads({ ...READS, flags: 2 })).toBe(false); // failed reads only
    expect(auditsReads({ ...READS, inherit: 1 })).toBe(false); // subfolders, not files
    expect(auditsReads({ ...READS, propagate: 1 })).toBe(false); // files right below only, not the patients' folders
  });

  it('says every folder covered, some, none, or the policy off', () => {
    const covered = (path: string) => ({ path, rules: [{ ...READS, rights: 0x116 }, READS] });
    expect(windowsReadAuditFinding(FOLDERS, output(1, covered('D:\\PHI'), covered('e:\\scans')))).toEqual({
      state: 'running',
      level: 'info',
      text: '',
    });
    const some = windowsReadAuditFinding(
      FOLDERS,
      output(3, covered('D:\\PHI'), { path: 'E:\\Scans', error: 'Cannot find path' }),
    );
    expect(some).toEqual({
      state: 'failed',
      level: 'warn',
      text: 'no auditing entry (SACL) for successful reads on E:\\Scans: reads there are not seen (agent README, Reads on Windows)',
    });
    const none = windowsReadAuditFinding(FOLDERS, output(1, { path: 'D:\\PHI', rules: [] }));
    expect(none.state).toBe('stopped');
    expect(none.text).toMatch(/^reads are not audited here: no auditing entry \(SACL\)/);
    const off = windowsReadAuditFinding(FOLDERS, output(2, covered('D:\\PHI'), covered('E:\\Scans')));
    expect(off.state).toBe('stopped');
    expect(off.text).toMatch(/^reads are not audited here: the audit policy’s Object Access → File System/);
  });

  it('says it cannot tell when the script did not run or printed something else', () => {
    for (const out of [undefined, '', 'Add-Type : access denied', '{"policy":"on","folders":[]}', output(null)]) {
      const finding = windowsReadAuditFinding(FOLDERS, out);
      expect(finding.state).toBeUndefined();
      expect(finding.text).toMatch(/cannot be read .*whether reads are audited is not known/);
    }
  });

  it('says audit taken away while the agent ran as failed, a site that never audited as stopped', async () => {
    let printed = output(1, { path: 'D:\\PHI', rules: [READS] });
    const health: { name: string; state: string; message?: string }[] = [];
    const check = new WindowsReadAuditCheck({
      folders: ['D:\\PHI'],
      list: () => Promise.resolve(printed),
      health: { report: (name, state, message) => health.push({ name, state, message }) },
      everyMs: 60_000,
    });
    check.start();
    await check.check();
    expect(health).toEqual([{ name: 'collector.reads.rule', state: 'running', message: undefined }]);
    printed = output(0, { path: 'D:\\PHI', rules: [READS] }); // auditpol /set … /success:disable
    await check.check();
    check.stop();
    expect(health.at(-1)).toEqual({
      name: 'collector.reads.rule',
      state: 'failed',
      message:
        'the audit policy or the auditing entries (SACLs) for reads on the patient-data folders were removed while the agent ran: reads are no longer seen',
    });
    const never = new WindowsReadAuditCheck({
      folders: ['D:\\PHI'],
      list: () => Promise.resolve(output(1, { path: 'D:\\PHI', rules: [] })),
      health: { report: (name, state) => health.push({ name, state }) },
    });
    never.start();
    await never.check();
    never.stop();
    expect(health.at(-1)).toEqual({ name: 'collector.reads.rule', state: 'stopped' });
  });

  it('passes the folders to PowerShell as data, whatever their names hold', () => {
    const folders = ["D:\\PHI\\O'Brien ward", 'D:\\PHI\\$(Remove-Item C:\\ -Recurse)', 'D:\\Akten\\Größe'];
    const script = windowsReadAuditScript(folders);
    const encoded = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(script)?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8').split('\n')).toEqual(folders);
    for (const folder of folders) expect(script).not.toContain(folder);
    expect(script).toContain(`[Guid]'${FILE_SYSTEM_SUBCATEGORY}'`);
  });

  it('gives nothing where PowerShell cannot run (here: no powershell.exe)', async () => {
    expect(await powerShellReadAudit(FOLDERS)()).toBeUndefined();
  });
});
