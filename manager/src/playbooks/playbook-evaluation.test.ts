import { PlaybookConditions, PlaybookDefinition, type PlaybookView } from '@wardwatch/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOKS } from './default-playbooks';
import {
  conditionsHold,
  evaluatePlaybooks,
  inTimeWindow,
  minuteOfDay,
  type AlertFacts,
  type WorkstationFacts,
} from './playbook-evaluation';

const alert: AlertFacts = {
  id: 'alert-1',
  kind: 'behaviour',
  score: 85,
  severity: 'high',
  ruleIds: ['mass-copy-removable'],
  reasons: [
    { source: 'rule', feature: 'removable_writes' },
    { source: 'baseline', feature: 'files_written' },
  ],
  userRole: 'nurse',
  identityMismatch: null,
};
const station: WorkstationFacts = { tags: ['shared-clinical', 'icu'], unit: 'Ward 3' };
// 2026-12-02 14:30 UTC
const AFTERNOON = Date.UTC(2026, 11, 2, 14, 30);
const NOON_MINUTE = 12 * 60;

const holds = (
  when: PlaybookConditions,
  a: Partial<AlertFacts> = {},
  s: Partial<WorkstationFacts> = {},
  minute = NOON_MINUTE,
) => conditionsHold(when, { ...alert, ...a }, { ...station, ...s }, minute);

const playbook = (id: string, rules: PlaybookView['rules'], extra: Partial<PlaybookView> = {}): PlaybookView => ({
  id,
  name: id,
  description: '',
  enabled: true,
  version: 3,
  createdAt: 0,
  createdBy: 'admin',
  rules,
  ...extra,
});

describe('playbook conditions', () => {
  it('holds when no condition is stated', () => {
    expect(holds({})).toBe(true);
  });

  it('min score: at or above', () => {
    expect(holds({ minScore: 85 })).toBe(true);
    expect(holds({ minScore: 85.5 })).toBe(false);
  });

  it('min identity mismatch: at or above; an alert with no session judged never matches', () => {
    expect(holds({ minIdentityMismatch: 0.9 }, { identityMismatch: 0.95 })).toBe(true);
    expect(holds({ minIdentityMismatch: 0.9 }, { identityMismatch: 0.9 })).toBe(true);
    expect(holds({ minIdentityMismatch: 0.9 }, { identityMismatch: 0.89 })).toBe(false);
    expect(holds({ minIdentityMismatch: 0 }, { identityMismatch: null })).toBe(false);
    expect(() => PlaybookConditions.parse({ minIdentityMismatch: 1.5 })).toThrow();
  });

  it('min severity: by rank, not by name', () => {
    expect(holds({ minSeverity: 'medium' })).toBe(true);
    expect(holds({ minSeverity: 'high' })).toBe(true);
    expect(holds({ minSeverity: 'critical' })).toBe(false);
    expect(holds({ minSeverity: 'low' }, { severity: 'info' })).toBe(false);
  });

  it('rule ids: any of', () => {
    expect(holds({ ruleIds: ['ransomware-burst', 'mass-copy-removable'] })).toBe(true);
    expect(holds({ ruleIds: ['ransomware-burst'] })).toBe(false);
    expect(holds({ ruleIds: ['ransomware-burst'] }, { ruleIds: [] })).toBe(false);
  });

  it('reason sources and features: any reason matches', () => {
    expect(holds({ reasonSources: ['baseline'] })).toBe(true);
    expect(holds({ reasonSources: ['model'] })).toBe(false);
    expect(holds({ features: ['files_written'] })).toBe(true);
    expect(holds({ features: ['logins_failed'] })).toBe(false);
    expect(holds({ features: ['files_written'] }, { reasons: [{ source: 'model' }] })).toBe(false);
  });

  it('tags: any of, none of', () => {
    expect(holds({ tagsAnyOf: ['pharmacy', 'icu'] })).toBe(true);
    expect(holds({ tagsAnyOf: ['pharmacy'] })).toBe(false);
    expect(holds({ tagsNoneOf: ['pharmacy'] })).toBe(true);
    expect(holds({ tagsNoneOf: ['pharmacy', 'icu'] })).toBe(false);
    expect(holds({ tagsAnyOf: ['icu'] }, {}, { tags: [] })).toBe(false);
  });

  it('unit: one of; a workstation without a unit matches no unit condition', () => {
    expect(holds({ units: ['Ward 3', 'Ward 4'] })).toBe(true);
    expect(holds({ units: ['Ward 4'] })).toBe(false);
    expect(holds({ units: ['Ward 3'] }, {}, { unit: null })).toBe(false);
  });

  it('user role: any of; a user with no role on record matches no role condition', () => {
    expect(holds({ userRolesAnyOf: ['nurse', 'physician'] })).toBe(true);
    expect(holds({ userRolesAnyOf: ['pharmacist'] })).toBe(false);
    expect(holds({ userRolesAnyOf: ['nurse'] }, { userRole: null })).toBe(false);
  });

  it('alert kind', () => {
    expect(holds({ alertKinds: ['behaviour'] })).toBe(true);
    expect(holds({ alertKinds: ['agent_silent'] })).toBe(false);
    expect(holds({ alertKinds: ['agent_silent'] }, { kind: 'agent_silent' })).toBe(true);
    expect(holds({ alertKinds: ['agent_blind'] }, { kind: 'agent_blind' })).toBe(true);
    expect(holds({ alertKinds: ['behaviour', 'agent_silent'] }, { kind: 'agent_blind' })).toBe(false);
  });

  it('time of day: from inclusive, to exclusive', () => {
    expect(holds({ timeOfDay: { from: '08:00', to: '18:00' } }, {}, {}, 8 * 60)).toBe(true);
    expect(holds({ timeOfDay: { from: '08:00', to: '18:00' } }, {}, {}, 18 * 60)).toBe(false);
    expect(holds({ timeOfDay: { from: '08:00', to: '18:00' } }, {}, {}, 7 * 60 + 59)).toBe(false);
  });

  it('time of day across midnight', () => {
    const night = { from: '22:00', to: '06:00' };
    expect(inTimeWindow(23 * 60 + 30, night)).toBe(true);
    expect(inTimeWindow(0, night)).toBe(true);
    expect(inTimeWindow(5 * 60 + 59, night)).toBe(true);
    expect(inTimeWindow(6 * 60, night)).toBe(false);
    expect(inTimeWindow(12 * 60, night)).toBe(false);
    expect(inTimeWindow(22 * 60, night)).toBe(true);
  });

  it('a window and its reverse cover each minute of the day exactly once', () => {
    const clock = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(clock, clock, fc.integer({ min: 0, max: 1_439 }), (from, to, minute) => {
        fc.pre(from !== to);
        expect(inTimeWindow(minute, { from, to }) !== inTimeWindow(minute, { from: to, to: from })).toBe(true);
      }),
    );
  });

  it('reads the time of day in the site time zone', () => {
    expect(minuteOfDay(AFTERNOON, 'UTC')).toBe(14 * 60 + 30);
    // Paris is UTC+1 in December; Kolkata UTC+5:30 (so 20:00).
    expect(minuteOfDay(AFTERNOON, 'Europe/Paris')).toBe(15 * 60 + 30);
    expect(minuteOfDay(AFTERNOON, 'Asia/Kolkata')).toBe(20 * 60);
    const when: PlaybookConditions = { timeOfDay: { from: '15:00', to: '16:00' } };
    const pb = [playbook('p', [{ name: 'r', when, then: [{ kind: 'notify', mode: 'notify' }] }])];
    expect(evaluatePlaybooks(pb, alert, station, AFTERNOON, 'UTC')).toEqual([]);
    expect(evaluatePlaybooks(pb, alert, station, AFTERNOON, 'Europe/Paris')).toHaveLength(1);
  });

  it('adding a condition never makes a rule match more alerts (property)', () => {
    const conditions = fc.record(
      {
        minScore: fc.integer({ min: 0, max: 100 }),
        minIdentityMismatch: fc.double({ min: 0, max: 1, noNaN: true }),
        minSeverity: fc.constantFrom('low', 'medium', 'high', 'critical' as const),
        ruleIds: fc.array(fc.constantFrom('brute-force', 'ransomware-burst', 'mass-copy-removable'), { minLength: 1 }),
        tagsAnyOf: fc.array(fc.constantFrom('icu', 'pharmacy', 'shared-clinical'), { minLength: 1 }),
        tagsNoneOf: fc.array(fc.constantFrom('icu', 'pharmacy', 'shared-clinical'), { minLength: 1 }),
        alertKinds: fc.array(fc.constantFrom('behaviour', 'agent_silent', 'agent_blind' as const), { minLength: 1 }),
        userRolesAnyOf: fc.array(fc.constantFrom('nurse', 'physician', 'pharmacist' as const), { minLength: 1 }),
      },
      { requiredKeys: [] },
    );
    const facts = fc.record({
      score: fc.integer({ min: 0, max: 100 }),
      severity: fc.constantFrom('info', 'low', 'medium', 'high', 'critical' as const),
      ruleIds: fc.subarray(['brute-force', 'ransomware-burst', 'mass-copy-removable']),
      kind: fc.constantFrom('behaviour', 'agent_silent', 'agent_blind' as const),
      userRole: fc.constantFrom('nurse', 'physician', 'it_staff', null),
      identityMismatch: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    });
    const tags = fc.subarray(['icu', 'pharmacy', 'shared-clinical']);
    fc.assert(
      fc.property(conditions, conditions, facts, tags, (base, more, a, t) => {
        const narrower = { ...more, ...base };
        if (holds(narrower, a, { tags: t })) expect(holds(base, a, { tags: t })).toBe(true);
      }),
    );
  });
});

describe('evaluatePlaybooks', () => {
  it('returns the matched actions with their playbook version and mode', () => {
    const pb = playbook('usb', [
      {
        name: 'usb copy',
        when: { ruleIds: ['mass-copy-removable'] },
        then: [{ kind: 'block_removable', mode: 'approve', durationSeconds: 600 }],
      },
      { name: 'never', when: { ruleIds: ['brute-force'] }, then: [{ kind: 'notify', mode: 'notify' }] },
    ]);
    expect(evaluatePlaybooks([pb], alert, station, AFTERNOON, 'UTC')).toEqual([
      {
        playbookId: 'usb',
        playbookVersion: 3,
        ruleName: 'usb copy',
        action: { kind: 'block_removable', mode: 'approve', durationSeconds: 600 },
      },
    ]);
  });

  it('ignores disabled playbooks', () => {
    const pb = playbook('off', [{ name: 'all', when: {}, then: [{ kind: 'notify', mode: 'notify' }] }], {
      enabled: false,
    });
    expect(evaluatePlaybooks([pb], alert, station, AFTERNOON, 'UTC')).toEqual([]);
  });

  it('takes each action kind once, in the strongest mode asked for', () => {
    const broad = playbook('a-broad', [
      {
        name: 'any',
        when: {},
        then: [
          { kind: 'lock_screen', mode: 'notify' },
          { kind: 'notify', mode: 'notify' },
        ],
      },
    ]);
    const narrow = playbook('b-narrow', [
      { name: 'icu', when: { tagsAnyOf: ['icu'] }, then: [{ kind: 'lock_screen', mode: 'approve' }] },
    ]);
    const auto = playbook('c-auto', [
      { name: 'auto', when: { minScore: 99 }, then: [{ kind: 'lock_screen', mode: 'automatic' }] },
    ]);
    const result = evaluatePlaybooks([auto, narrow, broad], alert, station, AFTERNOON, 'UTC');
    expect(result.map((m) => [m.action.kind, m.action.mode, m.playbookId])).toEqual([
      ['lock_screen', 'approve', 'b-narrow'],
      ['notify', 'notify', 'a-broad'],
    ]);
  });

  it('the defaults: ransomware kills and blocks at once, USB asks, brute force notifies, shared-clinical locks with approval', () => {
    const defaults = DEFAULT_PLAYBOOKS.map((d) =>
      playbook(d.id, PlaybookDefinition.parse(d.definition).rules, { version: 1 }),
    );
    const decide = (a: Partial<AlertFacts>, s: Partial<WorkstationFacts> = {}) =>
      evaluatePlaybooks(defaults, { ...alert, ...a }, { ...station, ...s }, AFTERNOON, 'UTC')
        .map((m) => `${m.action.kind}:${m.action.mode}`)
        .sort();
    expect(decide({ ruleIds: ['ransomware-burst'], severity: 'critical', score: 97 }, { tags: [] })).toEqual([
      'block_removable:automatic',
      'kill_process_tree:automatic',
    ]);
    expect(decide({ ruleIds: ['mass-copy-removable'], severity: 'medium' }, { tags: [] })).toEqual([
      'block_removable:approve',
    ]);
    expect(decide({ ruleIds: ['brute-force'], severity: 'medium' }, { tags: [] })).toEqual(['notify:notify']);
    expect(decide({ ruleIds: [], severity: 'high' })).toEqual(['lock_screen:approve']);
    expect(decide({ ruleIds: [], severity: 'high' }, { tags: ['pharmacy'] })).toEqual([]);
    expect(decide({ ruleIds: ['credential-dumping'], severity: 'medium' }, { tags: [] })).toEqual([
      'disable_account:approve',
    ]);
    // "Is this really the user?": notify, and a lock only with a person's approval.
    expect(decide({ ruleIds: [], severity: 'medium', identityMismatch: 0.97 }, { tags: [] })).toEqual([
      'lock_screen:approve',
      'notify:notify',
    ]);
    expect(decide({ ruleIds: [], severity: 'medium', identityMismatch: 0.5 }, { tags: [] })).toEqual([]);
  });

  it('no default playbook locks, disables or revokes on its own for a doubted identity', () => {
    for (const d of DEFAULT_PLAYBOOKS)
      for (const rule of PlaybookDefinition.parse(d.definition).rules)
        if (rule.when.minIdentityMismatch !== undefined)
          for (const action of rule.then) expect(action.mode).not.toBe('automatic');
  });
});
