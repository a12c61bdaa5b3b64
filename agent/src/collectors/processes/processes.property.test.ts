// No audit line or argv crashes the parsers; redaction never lets a generated
// secret through and always respects the cap.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuditLine } from '../audit/audit-record';
import { AuditExecAssembler } from './audit-execve';
import { parseProcStat } from './proc-stat';
import { redactCommandLine } from './redact-command-line';

const auditLines = readFileSync(join(__dirname, 'fixtures', 'audit.log'), 'utf8')
  .split('\n')
  .filter(Boolean);
const fragments = [...new Set(auditLines.flatMap((l) => l.split(/(?<=[ =:"()])/)))];

describe('process parsers never throw', () => {
  it('on audit lines built from fragments, cut, or arbitrary', () => {
    const line = fc.oneof(
      fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((p) => p.join('')),
      fc.tuple(fc.constantFrom(...auditLines), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const assembler = new AuditExecAssembler(4);
        for (const l of lines) {
          const r = parseAuditLine(l);
          if (r.kind === 'record') {
            expect(Number.isFinite(r.record.timeMs)).toBe(true);
            assembler.push(r.record);
          }
        }
        for (const exec of assembler.flush()) expect(Number.isInteger(exec.pid)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary /proc stat text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const stat = parseProcStat(text);
        if (stat) expect(Number.isInteger(stat.pid)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('redacts secrets wherever they appear and keeps the cap', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/).map((s) => `S3cr${s}`);
    const plain = fc.stringMatching(/^[a-z/.]{0,12}$/);
    const form = fc.constantFrom<(s: string) => string[]>(
      (s) => ['--password', s],
      (s) => [`--password=${s}`],
      (s) => [`token=${s}`],
      (s) => [`https://u:${s}@host/x`],
      (s) => [`https://h/x?a=1&access_token=${s}`],
      (s) => ['--client-secret', s],
      (s) => [`-Dtrust.keyStorePassword=${s}`],
    );
    fc.assert(
      fc.property(
        fc.array(plain, { maxLength: 6 }),
        form,
        secret,
        fc.integer({ min: 16, max: 4096 }),
        (args, make, s, cap) => {
          const out = redactCommandLine(['/usr/bin/tool', ...args, ...make(s), ...args], cap);
          expect(out).not.toContain(s.slice(0, 8));
          expect(Buffer.byteLength(out)).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 400 },
    );
  });
});
