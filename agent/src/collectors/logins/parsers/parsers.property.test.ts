// Property tests: no input, however hostile, makes a parser throw, and every
// login it returns has a finite time, a capped raw line and a valid port.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureLines } from './fixtures/expect.fixture';
import { parseJournalRecord } from './journal-record';
import { parseLinuxAuthLine } from './linux-auth-line';
import { parseMacosLogRecord } from './macos-log-record';
import type { ParseResult } from './parse-result';
import { parseWindowsSecurityEvent } from './windows-security-event';

const ctx = { year: 2026 };
const parsers: Record<string, (input: string) => ParseResult> = {
  linux: (line) => parseLinuxAuthLine(line, ctx),
  linuxUtcOffset: (line) => parseLinuxAuthLine(line, { year: 275760, utcOffsetMinutes: -720 }),
  journal: parseJournalRecord,
  windows: parseWindowsSecurityEvent,
  macos: parseMacosLogRecord,
};

function wellFormed(result: ParseResult): void {
  expect(['login', 'ignored', 'error']).toContain(result.kind);
  if (result.kind === 'error') expect(result.reason.length).toBeGreaterThan(0);
  if (result.kind !== 'login') return;
  expect(Number.isFinite(result.value.timeMs)).toBe(true);
  expect(result.value.login.raw.length).toBeLessThanOrEqual(512);
  const port = result.value.login.sourcePort;
  expect(Number.isInteger(port) && port >= 0 && port < 65536).toBe(true);
}

const check = (input: string): void => {
  for (const parse of Object.values(parsers)) wellFormed(parse(input));
};

const realLines = [
  ...fixtureLines('linux-auth.log'),
  ...fixtureLines('linux-auth-malformed.log'),
  ...fixtureLines('journal.ndjson'),
  ...fixtureLines('windows-security.ndjson'),
  ...fixtureLines('macos-log.ndjson'),
];
const fragments = [...new Set(realLines.flatMap((l) => l.split(/(?<=[ :;=,"[\]{}])/)))];
const control = fc.constantFrom('\0', '\r', '\n', '\t', '\x1b[31m', '\u2028', '\ufeff', '\ud800', '\uffff');

describe('login parsers never throw', () => {
  it('on arbitrary unicode, including lone surrogates', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: 400 });
  });

  it('on lines assembled from fragments of real ones, with control characters', () => {
    const piece = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...fragments) },
      { weight: 1, arbitrary: control },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
        check,
      ),
      { numRuns: 600 },
    );
  });

  it('on real lines cut short or spliced', () => {
    const line = fc.constantFrom(...realLines);
    const cut = fc
      .tuple(line, fc.nat(), fc.nat())
      .map(([l, a, b]) => l.slice(Math.min(a, b) % (l.length + 1), Math.max(a, b) % (l.length + 1)));
    const splice = fc
      .tuple(line, line, fc.nat())
      .map(([a, b, n]) => a.slice(0, n % (a.length + 1)) + b.slice(n % (b.length + 1)));
    fc.assert(fc.property(fc.oneof(cut, splice), check), { numRuns: 600 });
  });

  it('on JSON of the right shape with hostile values', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('1e400', '-1', '99999999999999999999', '/Date(8640000000000001)/', '-'),
    );
    const record = fc.record(
      {
        id: fc.oneof(fc.constantFrom(4624, 4625, 4634, 4647, 4648, 4672, 4778, 4779, 4800, 4801), fc.integer()),
        time: value,
        __REALTIME_TIMESTAMP: value,
        timestamp: value,
        MESSAGE: value,
        SYSLOG_IDENTIFIER: value,
        eventMessage: value,
        processImagePath: value,
        data: fc.dictionary(
          fc.constantFrom('TargetUserName', 'SubjectUserName', 'AccountName', 'LogonType', 'IpPort', 'IpAddress'),
          fc.oneof(fc.string(), fc.constant(null)),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        record.map((r) => JSON.stringify(r)),
        check,
      ),
      { numRuns: 600 },
    );
  });

  it('on huge lines, quickly', () => {
    const huge = fc
      .tuple(
        fc.constantFrom(...realLines),
        fc.constantFrom('x', ' ', 'Failed password for ', '\\"', '('),
        fc.integer({ min: 50_000, max: 400_000 }),
      )
      .map(([l, filler, n]) => l + filler.repeat(Math.ceil(n / filler.length)));
    const started = performance.now();
    fc.assert(fc.property(huge, check), { numRuns: 25 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('on a PAM failure line padded with one long word, in linear time', () => {
    // Found by the test above: key=value matching was quadratic in a run of word characters.
    const padded = `Nov 22 08:11:03 ward-ws-07 sshd[2301]: pam_unix(sshd:auth): authentication failure;${'x'.repeat(400_000)}`;
    const started = performance.now();
    check(padded);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
