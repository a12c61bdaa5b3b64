import { describe, expect, it } from 'vitest';
import { chooseLoginSource, type LoginSourceFacts } from './choose-login-source';

const linux = (over: Partial<LoginSourceFacts>): LoginSourceFacts => ({
  platform: 'linux',
  setting: 'auto',
  authLog: null,
  journalctlExists: false,
  ...over,
});

describe('chooseLoginSource', () => {
  const table: [string, LoginSourceFacts, string][] = [
    [
      'auto with an auth log, even where journald runs (one source: no double count)',
      linux({ authLog: '/var/log/auth.log', journalctlExists: true }),
      'authlog',
    ],
    ['auto without an auth log, with journalctl', linux({ journalctlExists: true }), 'journald'],
    ['auto with neither', linux({}), 'none'],
    [
      'journald asked for, auth log present',
      linux({ setting: 'journald', authLog: '/var/log/auth.log', journalctlExists: true }),
      'journald',
    ],
    ['journald asked for, no journalctl', linux({ setting: 'journald' }), 'none'],
    ['authlog asked for', linux({ setting: 'authlog', authLog: '/var/log/secure', journalctlExists: true }), 'authlog'],
    ['none asked for', linux({ setting: 'none', authLog: '/var/log/auth.log', journalctlExists: true }), 'none'],
    ['Windows', { ...linux({ setting: 'journald' }), platform: 'win32' }, 'windows-security'],
    ['macOS', { ...linux({}), platform: 'darwin' }, 'macos-unified-log'],
  ];
  for (const [what, facts, kind] of table) {
    it(`${what} → ${kind}`, () => {
      const choice = chooseLoginSource(facts);
      expect(choice.kind).toBe(kind);
      expect(choice.reason.length).toBeGreaterThan(0);
    });
  }
});
