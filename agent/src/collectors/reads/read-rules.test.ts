import { describe, expect, it } from 'vitest';
import { foldersWithoutReadRule, readAuditedFolders } from './read-rules';

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
});
