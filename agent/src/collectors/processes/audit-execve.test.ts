import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditLine } from '../audit/audit-record';
import { type AuditExec, AuditExecAssembler } from './audit-execve';

const lines = (name: string) =>
  readFileSync(join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter(Boolean);

function assemble(input: string[]): AuditExec[] {
  const assembler = new AuditExecAssembler();
  const out: AuditExec[] = [];
  for (const line of input) {
    const r = parseAuditLine(line);
    if (r.kind === 'record') out.push(...assembler.push(r.record));
  }
  return [...out, ...assembler.flush()];
}

describe('audit EXECVE parsing', () => {
  it('assembles successful executions from recorded lines', () => {
    const execs = assemble(lines('audit.log'));
    expect(execs).toEqual([
      {
        timeMs: 1795338672123,
        serial: 4567,
        pid: 2002,
        ppid: 2001,
        uid: 1001,
        auid: 1001,
        exe: '/usr/bin/curl',
        argv: ['curl', '-u', 'svc:pw', 'https://pacs.example.org/api'],
      },
      {
        timeMs: 1795338673500,
        serial: 4570,
        pid: 2010,
        ppid: 2002,
        uid: 0,
        auid: undefined,
        exe: '/opt/my tool/bin',
        argv: ['/opt/my tool/bin', '/tmp/a file', 'hello world!'],
      },
      {
        timeMs: 1795338676250,
        serial: 4590,
        pid: 2200,
        ppid: 1,
        uid: 1001,
        auid: 1001,
        exe: '/usr/bin/true',
        argv: ['true'],
      },
    ]);
  });

  it('ignores record types it does not need and reports malformed lines', () => {
    expect(parseAuditLine(lines('audit.log').find((l) => l.startsWith('type=USER_LOGIN'))!).kind).toBe('ignored');
    expect(parseAuditLine(lines('audit.log').find((l) => l.startsWith('type=PROCTITLE'))!).kind).toBe('ignored');
    for (const line of lines('audit-malformed.log')) {
      const r = parseAuditLine(line);
      expect(r.kind).toBe('error');
    }
  });

  it('completes events without EOE once enough newer ones are open', () => {
    const assembler = new AuditExecAssembler(1);
    const rec = (line: string) => {
      const r = parseAuditLine(line);
      if (r.kind !== 'record') throw new Error(line);
      return r.record;
    };
    expect(
      assembler.push(rec('type=SYSCALL msg=audit(1.000:1): success=yes pid=10 ppid=1 uid=0 exe="/bin/a"')),
    ).toEqual([]);
    expect(assembler.push(rec('type=EXECVE msg=audit(1.000:1): argc=1 a0="a"'))).toEqual([]);
    const done = assembler.push(rec('type=SYSCALL msg=audit(2.000:2): success=yes pid=11 ppid=1 uid=0 exe="/bin/b"'));
    expect(done.map((e) => e.pid)).toEqual([10]);
  });
});
