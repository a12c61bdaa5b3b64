import type { FeatureWindow, PortableEvent } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import {
  hourOfWeek,
  IdentityTracker,
  MAX_OPEN_SESSIONS,
  SESSION_CONTINUATION_MS,
  type WindowIdentity,
} from './identity-tracker';
import { formatHourOfWeek, MIN_OWN_SESSIONS, ownerMatchReason } from './owner-match';
import { MAX_PROFILE_ITEMS, normaliseMethod, SessionProfile } from './session-fingerprint';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A Monday. */
const MONDAY = Date.parse('2026-01-05T00:00:00Z');

const NURSE_PROGRAMS = ['C:\\EHR\\ehr.exe', 'C:\\Apps\\medadmin.exe', 'C:\\Program Files\\Chrome\\chrome.exe'];
const ICU = ['ws-icu-01', 'ws-icu-02', 'ws-icu-03', 'ws-icu-04'];
const ED = ['ws-ed-01', 'ws-ed-02', 'ws-ed-03', 'ws-ed-04'];

interface Person {
  user: string;
  unit: string;
  role: string;
  hosts: string[];
  startHour: number;
  programs: string[];
}

const staff: Person[] = [
  ...Array.from({ length: 6 }, (_, i) => ({
    user: `icu-nurse-${i}`,
    unit: 'icu',
    role: 'nurse',
    hosts: ICU,
    startHour: 7,
    programs: NURSE_PROGRAMS,
  })),
  ...Array.from({ length: 6 }, (_, i) => ({
    user: `ed-nurse-${i}`,
    unit: 'ed',
    role: 'nurse',
    hosts: ED,
    startHour: 19,
    programs: NURSE_PROGRAMS,
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    user: `it-${i}`,
    unit: 'it',
    role: 'it',
    hosts: ['ws-it-01'],
    startHour: 9,
    programs: ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Apps\\putty.exe'],
  })),
];

function session(
  p: Pick<Person, 'user' | 'unit' | 'role'>,
  host: string,
  at: number,
  programs: string[],
  method = 'password',
): PortableEvent[] {
  const base = { v: 1 as const, user: p.user, role: p.role, unit: p.unit, host };
  return [
    { ...base, time: at, kind: 'logon', method },
    ...programs.map((executable, i) => ({
      ...base,
      time: at + (i + 1) * 60_000,
      kind: 'process_start' as const,
      executable,
    })),
    {
      ...base,
      time: at + 30 * 60_000,
      kind: 'file_write',
      path: `D:\\PHI\\${p.unit}\\a.docx`,
      folderClass: 'phi',
    },
  ];
}

/** Feeds a day's events and closes each user's window, returning the identity by user. */
function day(tracker: IdentityTracker, events: PortableEvent[], dayStart: number): Map<string, WindowIdentity> {
  for (const e of events) tracker.observe(e);
  const out = new Map<string, WindowIdentity>();
  for (const user of new Set(events.map((e) => e.user))) {
    const identity = tracker.close({ user, start: dayStart, end: dayStart + DAY, host: '' } as FeatureWindow);
    if (identity) out.set(user, identity);
  }
  return out;
}

/** Four weeks of ordinary work: each person on their own unit's machines, at their hour, with their programs. */
function history(days = 28): IdentityTracker {
  const tracker = new IdentityTracker();
  for (let d = 0; d < days; d++) {
    const dayStart = MONDAY + d * DAY;
    const events = staff
      .filter((_, i) => (d + i) % 7 < 5)
      .flatMap((p, i) =>
        session(
          p,
          p.hosts[(d + i) % p.hosts.length],
          dayStart + p.startHour * HOUR + ((d * 7 + i) % 30) * 60_000,
          p.programs,
        ),
      )
      .sort((a, b) => a.time - b.time);
    day(tracker, events, dayStart);
  }
  return tracker;
}

describe('behavioural identity: owner match', () => {
  const owner = staff[0];

  it("scores the owner's own sessions as the owner's", () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    for (const host of ICU) {
      const [identity] = [
        ...day(tracker, session(owner, host, dayStart + 7 * HOUR + 10 * 60_000, NURSE_PROGRAMS), dayStart).values(),
      ];
      expect(identity.source).toBe('user');
      expect(identity.ownerMatch).toBeGreaterThan(0.95);
      expect(identity.evidenceBits).toBe(0);
    }
    // Every owner of the history, on an ordinary day, is matched too.
    const next = MONDAY + 29 * DAY;
    const ordinary = staff.flatMap((p) =>
      session(p, p.hosts[1 % p.hosts.length], next + p.startHour * HOUR + 15 * 60_000, p.programs),
    );
    const judged = day(tracker, ordinary, next);
    expect(judged.size).toBe(staff.length);
    for (const identity of judged.values()) expect(identity.ownerMatch).toBeGreaterThan(0.9);
  });

  it("finds a colleague's use of the credentials from another unit, at an odd hour, with other programs", () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    // The ICU day nurse's account on an ED machine at 02:00 running IT tools.
    const events = session(owner, 'ws-ed-03', dayStart + 2 * HOUR, [
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Apps\\putty.exe',
    ]);
    const identity = day(tracker, events, dayStart).get(owner.user);
    expect(identity).toBeDefined();
    expect(identity!.ownerMatch).toBeLessThan(0.01);
    expect(identity!.evidenceBits).toBeGreaterThan(6);
    expect(identity!.ratios.host).toBeLessThan(-2);
    expect(identity!.ratios.hour).toBeLessThan(-1);
    expect(identity!.ratios.programs).toBeLessThan(-2);
    expect(identity!.facts).toMatchObject({ newHost: true, newHostForUnit: true, newHour: true, newPrograms: 2 });
    const text = ownerMatchReason(identity!);
    expect(text).toMatch(/^session unlike this user's own sessions \(owner match 0 %\): /);
    expect(ownerMatchReason({ ...identity!, source: 'peer' })).toMatch(/^session unlike their peer group's \(/);
    expect(text).toContain('first logon to this workstation for this user and their unit');
    expect(text).toContain('programs never used by this user: 2');
    expect(text).toContain('Mon 02:00');
    // Count-only: no workstation, program or user name leaves in the text.
    expect(text).not.toMatch(/ws-|powershell|putty|nurse-0/);
  });

  it('each dimension on its own moves the match less than all together', () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    const at = dayStart + 7 * HOUR + 5 * 60_000;
    const newHostOnly = day(tracker, session(owner, 'ws-ed-01', at, NURSE_PROGRAMS), dayStart).get(owner.user)!;
    expect(newHostOnly.ownerMatch).toBeGreaterThan(0.2);
    expect(newHostOnly.ownerMatch).toBeLessThan(0.95);
    const next = dayStart + DAY;
    const newMethod = day(tracker, session(owner, ICU[0], next + 7 * HOUR, NURSE_PROGRAMS, 'Badge'), next).get(
      owner.user,
    )!;
    expect(newMethod.facts.newMethod).toBe('badge');
    expect(newMethod.ownerMatch).toBeGreaterThan(0.5);
  });

  it('judges a new user by their peer group until they have their own sessions', () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    const newcomer = { user: 'icu-nurse-new', unit: 'icu', role: 'nurse' };
    const usual = day(tracker, session(newcomer, ICU[2], dayStart + 7 * HOUR, NURSE_PROGRAMS), dayStart).get(
      newcomer.user,
    )!;
    expect(usual.source).toBe('peer');
    expect(usual.ownerMatch).toBeGreaterThan(0.9);
    const other = { user: 'icu-nurse-new2', unit: 'icu', role: 'nurse' };
    const odd = day(
      tracker,
      session(other, 'ws-it-01', dayStart + 2 * HOUR, [
        'C:\\Apps\\putty.exe',
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      ]),
      dayStart,
    ).get(other.user)!;
    expect(odd.source).toBe('peer');
    expect(odd.ownerMatch).toBeLessThan(0.1);
    // Nobody to compare with: no evidence either way, the prior stands.
    const stranger = { user: 'x', unit: undefined, role: undefined } as unknown as Person;
    const empty = new IdentityTracker();
    const alone = day(empty, session(stranger, 'h', dayStart, []), dayStart).get('x')!;
    expect(alone.source).toBe('fleet');
    expect(alone.ownerMatch).toBeCloseTo(0.9, 5);
    expect(alone.evidenceBits).toBe(0);
  });

  it('learns a session only after judging it, so a repeat looks less new', () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    const events = (d: number) => session(owner, 'ws-ed-02', dayStart + d * DAY + 7 * HOUR, NURSE_PROGRAMS);
    const first = day(tracker, events(0), dayStart).get(owner.user)!;
    const second = day(tracker, events(1), dayStart + DAY).get(owner.user)!;
    expect(first.facts.newHost).toBe(true);
    expect(second.facts.newHost).toBe(false);
    expect(second.ownerMatch).toBeGreaterThan(first.ownerMatch);
    expect(tracker.store.user(owner.user)!.sessions).toBeGreaterThanOrEqual(MIN_OWN_SESSIONS);
  });

  it("keeps a session's judgement when it continues past the window's cut", () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    // The ICU nurse's password on an ED machine at 23:30 with IT tools; the session runs past midnight.
    const opened = session(owner, 'ws-ed-03', dayStart + 23 * HOUR + 30 * 60_000, [
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ]).filter((e) => e.time < dayStart + DAY);
    const first = day(tracker, opened, dayStart).get(owner.user)!;
    expect(first.ownerMatch).toBeLessThan(0.05);
    const next = dayStart + DAY;
    const base = { v: 1 as const, user: owner.user, role: owner.role, unit: owner.unit, host: 'ws-ed-03' };
    const rest: PortableEvent[] = [
      {
        ...base,
        time: next + 5 * 60_000,
        kind: 'file_copy',
        path: 'D:\\PHI\\icu\\c.pdf',
        folderClass: 'phi',
        targetPath: 'C:\\Users\\Public\\c.pdf',
        targetFolderClass: 'other',
      },
      { ...base, time: next + 15 * 60_000, kind: 'logoff' },
    ];
    // Had the intruder logged off before the cut, the same events next window would be judged alone,
    // on a workstation learned at the close, with no logon or program: more like the owner.
    const alone = history();
    day(alone, [...opened, { ...base, time: dayStart + DAY - 60_000, kind: 'logoff' }], dayStart);
    const judgedAlone = day(alone, rest, next).get(owner.user)!;
    const continued = day(tracker, rest, next).get(owner.user)!;
    expect(judgedAlone.ownerMatch).toBeGreaterThan(continued.ownerMatch);
    expect(continued.ownerMatch).toBe(first.ownerMatch);
    expect(continued.evidenceBits).toBe(first.evidenceBits);
    // After the logoff, a later session there is judged on its own.
    const later = day(tracker, session(owner, 'ws-ed-03', next + DAY + 7 * HOUR, NURSE_PROGRAMS), next + DAY).get(
      owner.user,
    )!;
    expect(later.ownerMatch).toBeGreaterThan(first.ownerMatch);
  });

  it('judges a session on its own after a logoff or a long gap', () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    const stranger = day(
      tracker,
      session(owner, 'ws-ed-01', dayStart + 2 * HOUR, ['C:\\Apps\\putty.exe']).slice(0, 2),
      dayStart,
    ).get(owner.user)!;
    const much = dayStart + 2 * HOUR + 2 * 60_000 + SESSION_CONTINUATION_MS + HOUR;
    const windowStart = much - ((much - MONDAY) % DAY);
    const write: PortableEvent = {
      v: 1,
      user: owner.user,
      role: owner.role,
      unit: owner.unit,
      host: 'ws-ed-01',
      time: much,
      kind: 'file_write',
      path: 'D:\\PHI\\icu\\b.docx',
      folderClass: 'phi',
    };
    const gap = day(tracker, [write], windowStart).get(owner.user)!;
    expect(gap.ownerMatch).toBeGreaterThan(stranger.ownerMatch);
  });

  it('takes the least owner-like session of a window and ignores failed logons', () => {
    const tracker = history();
    const dayStart = MONDAY + 28 * DAY;
    const failed: PortableEvent = {
      v: 1,
      user: owner.user,
      host: 'ws-ed-04',
      time: dayStart + 3 * HOUR,
      kind: 'failed_logon',
      method: 'password',
    };
    const events = [
      failed,
      ...session(owner, ICU[0], dayStart + 7 * HOUR, NURSE_PROGRAMS),
      ...session(owner, 'ws-it-01', dayStart + 8 * HOUR, ['C:\\Apps\\putty.exe']),
    ];
    const identity = day(tracker, events, dayStart).get(owner.user)!;
    expect(identity.sessions).toBe(2);
    expect(identity.ownerMatch).toBeLessThan(0.5);
  });
});

describe('behavioural identity: bounds and helpers', () => {
  it('bounds the items a profile counts and the sessions open at once', () => {
    const profile = new SessionProfile();
    for (let i = 0; i < MAX_PROFILE_ITEMS + 50; i++)
      profile.learn({
        user: 'u',
        host: `h${i}`,
        role: undefined,
        unit: undefined,
        startedAt: 0,
        hourOfWeek: 0,
        method: null,
        programs: new Set(),
        events: 1,
      });
    expect(profile.hosts.distinct).toBe(MAX_PROFILE_ITEMS);
    expect(profile.hosts.total).toBe(MAX_PROFILE_ITEMS + 50);
    const tracker = new IdentityTracker();
    for (let i = 0; i < MAX_OPEN_SESSIONS + 3; i++)
      tracker.observe({ v: 1, user: `u${i}`, host: 'h', time: MONDAY, kind: 'logoff' });
    expect(tracker.dropped).toBe(3);
  });

  it('names hours of the week from Monday and keeps logon methods short', () => {
    expect(hourOfWeek(MONDAY + 2 * HOUR)).toBe(2);
    expect(hourOfWeek(MONDAY - HOUR)).toBe(167);
    expect(formatHourOfWeek(167)).toBe('Sun 23:00');
    expect(normaliseMethod('Password')).toBe('password');
    expect(normaliseMethod('pam_unix(sshd:auth) nurse.jones')).toBe('other');
    expect(normaliseMethod(undefined)).toBeNull();
  });
});
