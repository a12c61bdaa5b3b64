// The ledger's invariant on arbitrary interleavings of the layers of a few
// connections: per connection, failed logons = max(program, pam, 1 if a summary).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptLayer, ParsedLogin } from '../parsers/parse-result';
import { AttemptLedger } from './attempt-ledger';

interface Step {
  conn: number;
  layer: AttemptLayer;
  count: number;
  named: boolean;
  /** A PAM line naming the source by host name only (its `rhost=`), the address coming on another line. */
  byName: boolean;
  gapMs: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  conn: fc.integer({ min: 0, max: 3 }),
  layer: fc.constantFrom<AttemptLayer>('program', 'pam', 'summary'),
  count: fc.integer({ min: 1, max: 6 }),
  // Some lines name no account (PAM without user=): they must join their connection all the same.
  named: fc.boolean(),
  byName: fc.boolean(),
  // 60 steps of at most 4 s stay inside one 5-minute window: no connection expires here.
  gapMs: fc.integer({ min: 0, max: 4_000 }),
});

function line(s: Step, timeMs: number): ParsedLogin {
  return {
    timeMs,
    user: s.named ? `user${s.conn}` : '',
    outcome: 'failure',
    attempt: { layer: s.layer, count: s.count, key: `ws\u0000sshd\u0000${100 + s.conn}` },
    login: {
      action: 'failed_logon',
      method: 'password',
      service: 'sshd',
      tty: '',
      sourceHost: s.byName ? `dsl-${s.conn}.example.net` : '',
      sourceIp: s.byName ? '' : `192.0.2.${s.conn + 1}`,
      sourcePort: 0,
      targetUser: '',
      raw: '',
    },
  };
}

describe('AttemptLedger (property)', () => {
  it('emits per connection the largest count any layer reported, each as one failure of that source', () => {
    // Held failures come out later, at the latest when the log ends: counted after the flush.
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const ledger = new AttemptLedger();
        const expected = new Map<number, { program: number; pam: number; summary: boolean }>();
        const emitted = new Map<number, number>();
        const count = (out: ParsedLogin) => {
          const conn = Number(out.attempt?.key?.split('\u0000')[2]) - 100;
          // An address wherever the connection gave one; a host name alone only where it never did.
          if (out.login.sourceIp) expect(out.login.sourceIp).toBe(`192.0.2.${conn + 1}`);
          else expect(out.login.sourceHost).toBe(`dsl-${conn}.example.net`);
          expect(out.attempt?.count).toBe(1);
          if (out.user !== '') expect(out.user).toBe(`user${conn}`);
          emitted.set(conn, (emitted.get(conn) ?? 0) + 1);
        };
        let time = Date.UTC(2026, 10, 22);
        for (const s of steps) {
          time += s.gapMs;
          const e = expected.get(s.conn) ?? { program: 0, pam: 0, summary: false };
          if (s.layer === 'summary') e.summary = true;
          else e[s.layer] += s.count;
          expected.set(s.conn, e);
          for (const out of ledger.accept(line(s, time))) count(out);
        }
        ledger.flush().forEach(count);
        expect(ledger.stats.held).toBe(0);
        for (const [conn, e] of expected) {
          expect(emitted.get(conn) ?? 0).toBe(Math.max(e.program, e.pam, e.summary ? 1 : 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
