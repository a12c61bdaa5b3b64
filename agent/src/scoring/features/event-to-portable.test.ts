// Failed logons without an account: one unknown account per source, so the
// per-account rules never add up attempts from different sources.
import { type Event, type LoginActivity } from '@wardwatch/proto';
import { PortableEvent } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { RuleEngine } from '../rules/rule-engine';
import { eventToPortable } from './event-to-portable';

const t0 = Date.UTC(2026, 10, 22, 10);

function failed(i: number, user: string, login: Partial<LoginActivity>): Event {
  return {
    id: `e${i}`,
    timeMs: t0 + i * 10_000,
    sequence: 0,
    severity: 0,
    user,
    detail: {
      $case: 'login',
      value: {
        action: 'failed_logon',
        method: 'pam',
        service: 'sshd',
        tty: '',
        sourceHost: '',
        sourceIp: '',
        sourcePort: 0,
        targetUser: '',
        raw: '',
        ...login,
      },
    },
  };
}

function portable(event: Event): PortableEvent {
  const mapped = eventToPortable(event, 'ws1');
  if (!('event' in mapped)) throw new Error(mapped.skipped);
  return PortableEvent.parse(mapped.event);
}

describe('eventToPortable, failed logons without an account', () => {
  it('gives each source its own unknown account, and keeps a named one as it is', () => {
    expect(portable(failed(1, '', { sourceIp: '203.0.113.5' })).user).toBe('(unknown from 203.0.113.5)');
    expect(portable(failed(2, '', { sourceHost: 'scan.example.net' })).user).toBe('(unknown from scan.example.net)');
    expect(portable(failed(3, '', { service: 'login', tty: 'tty2' })).user).toBe('(unknown from tty tty2)');
    expect(portable(failed(4, 'root', { sourceIp: '203.0.113.5' })).user).toBe('root');
    // No '@': the pseudonym's canonical form would cut the source off and merge them again.
    expect(portable(failed(5, '', { sourceHost: 'a@b\\c' })).user).toBe('(unknown from a_b_c)');
  });

  it('never trips brute force for an account made of attempts from several sources', async () => {
    const engine = new RuleEngine(await loadRules(DEFAULT_RULES_DIR));
    const hits = [];
    // 18 failures without an account from three sources, six each: below the per-account threshold of 10.
    for (let i = 0; i < 18; i++) {
      hits.push(...engine.observe(portable(failed(i, '', { sourceIp: `198.51.100.${1 + (i % 3)}` }))));
    }
    expect(hits.filter((h) => h.ruleId === 'brute-force')).toEqual([]);
    // Twelve more from one source: that source's unknown account is brute-forced.
    for (let i = 18; i < 30; i++) hits.push(...engine.observe(portable(failed(i, '', { sourceIp: '192.0.2.99' }))));
    expect(hits.filter((h) => h.ruleId === 'brute-force').map((h) => h.users)).toEqual([['(unknown from 192.0.2.99)']]);
  });
});
