import { describe, expect, it } from 'vitest';
import { foldersWithoutReadRule, readAuditedFolders, ReadRuleCheck } from './read-rules';

// As this machine's `auditctl -l` printed them (the last line's folder name made up).
const RULES = [
  '-a always,exit -F arch=b64 -S all -F dir=/srv/patient-records -F perm=r -F key=wardwatch-phi-read',
  '-w /srv/scans -p rwa -k ww-w',
  '-a always,exit -F arch=b32 -S all -F dir=/srv/letters -F perm=wa -F key=ww-wa',
  '-w /srv/forms -p wa -k wardwatch-phi',
  '-a never,exit -F arch=b64 -S all -F dir=/srv/archive -F perm=r',
  '-a always,exit -F arch=b64 -S all -F dir=/srv/ward 3 -F perm=rw -F key=k',
  '',
].join('\n');

describe('audit read rules', () => {
  it('finds the folders whose reads a watch or an exit rule audits, names with spaces too', () => {
    expect(readAuditedFolders(RULES)).toEqual(['/srv/patient-records', '/srv/scans', '/srv/ward 3']);
    expect(readAuditedFolders('No rules\n')).toEqual([]);
  });

  it('says which folders no read rule holds: not write-only rules, nor never rules', () => {
    expect(
      foldersWithoutReadRule(
        [
          '/srv/patient-records/icu',
          '/srv/patient-records/',
          '/srv/scans',
          '/srv/letters',
          '/srv/forms',
          '/srv/archive',
          '/srv/patient-records2',
        ],
        RULES,
      ),
    ).toEqual(['/srv/letters', '/srv/forms', '/srv/archive', '/srv/patient-records2']);
    expect(foldersWithoutReadRule(['/srv/any'], '-w / -p r -k all\n')).toEqual([]);
  });

  it('says which patient-data folders a read rule was forgotten for, all covered, or reads not audited at all', async () => {
    let rules: string | undefined = '-w /srv/phi/icu -p r -k wardwatch-phi-read\n';
    const health: { name: string; state: string; message?: string }[] = [];
    const logged: string[] = [];
    const check = new ReadRuleCheck({
      list: () => Promise.resolve(rules),
      folders: ['/srv/phi/icu', '/srv/phi/ed'],
      health: { report: (name, state, message) => health.push({ name, state, message }) },
      log: (level, message) => logged.push(`${level}: ${message}`),
      everyMs: 60_000,
    });
    check.start(); // checks at once
    await check.check(); // the same finding: said once
    const missing =
      'no audit read rule covers /srv/phi/ed: reads there are not seen (agent README, Reads of patient files)';
    expect(logged).toEqual([`warn: ${missing}`]);
    expect(health).toEqual([{ name: 'collector.reads.rule', state: 'failed', message: missing }]);
    rules = '-a always,exit -F arch=b64 -S all -F dir=/srv/phi -F perm=r -F key=k\n';
    await check.check();
    expect(health.at(-1)).toEqual({ name: 'collector.reads.rule', state: 'running', message: undefined });
    rules = '-w /srv/phi -p wa -k wardwatch-phi\n'; // the read rules taken away after they covered all: failed
    await check.check();
    const removed =
      'the audit read rules on the patient-data folders were removed while the agent ran: reads are no longer seen';
    expect(health.at(-1)).toEqual({ name: 'collector.reads.rule', state: 'failed', message: removed });
    expect(logged.at(-1)).toBe(`warn: ${removed}`);
    rules = undefined; // auditctl gone, or not root: not known, said once, the health left as it was
    await check.check();
    await check.check();
    expect(logged.slice(2)).toEqual([expect.stringMatching(/^info: the audit rules cannot be listed/)]);
    expect(health).toHaveLength(3);
    check.stop();
    rules = '-w /srv/phi -p r\n';
    await check.check(); // stopped: nothing more said
    expect(health).toHaveLength(3);
  });

  it('says a site that never audited reads chose so: stopped, not failed', async () => {
    const health: { state: string; message?: string }[] = [];
    const check = new ReadRuleCheck({
      list: () => Promise.resolve('-w /srv/phi -p wa -k wardwatch-phi\n'),
      folders: ['/srv/phi/icu'],
      health: { report: (_name, state, message) => health.push({ state, message }) },
      everyMs: 60_000,
    });
    check.start();
    await check.check();
    check.stop();
    expect(health).toEqual([
      {
        state: 'stopped',
        message:
          'reads are not audited here: no audit read rule on the patient-data folders (agent README, Reads of patient files)',
      },
    ]);
  });
});
