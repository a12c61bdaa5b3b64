import { describe, expect, it } from 'vitest';
import { DECAYED_SUMS, FEATURE_INDEX as F, FEATURES, RARITY_FEATURES } from './feature-definitions';
import { FeatureExtractor, DAY_MS, type FeatureWindow } from './feature-extractor';
import { FAMILIAR_FOLDER_WINDOWS, MAX_UNITS } from './unit-folders';
import { MAX_REMEMBERED_ITEMS, NewPlaces } from './user-history';
import {
  MAX_ROLES,
  PEER_PRIOR_MIN_WINDOWS,
  DecayedSums,
  MAX_SURPRISE_BITS,
  RARE_EVENTS,
  RARE_RATE_HALF_LIFE_MS,
  RareEventCounts,
  surpriseBits,
} from './rarity';
import type { PortableEvent } from '../portable/event.schema';

const removable = RARE_EVENTS.indexOf('removable');
const counts = (windows: number, withEvent: number) => {
  const c = new RareEventCounts();
  for (let i = 0; i < windows; i++) c.add(RARE_EVENTS.map((_, k) => k === removable && i < withEvent));
  return c;
};

describe('first-time and rarity evidence', () => {
  it('borrows the fleet rate with little history and trusts the user with much', () => {
    const fleet = counts(1_000, 50); // 5 % of the fleet's windows have removable media
    const newcomer = counts(0, 0);
    expect(surpriseBits(newcomer, fleet, removable)).toBeCloseTo(-Math.log2(51 / 1002), 6);
    // 40 windows without: much rarer than the fleet's 5 %, yet not infinite.
    const never = surpriseBits(counts(40, 0), fleet, removable);
    expect(never).toBeGreaterThan(7);
    expect(never).toBeLessThan(MAX_SURPRISE_BITS);
    // Someone who does it most days (imaging staff) gets almost no surprise.
    expect(surpriseBits(counts(40, 30), fleet, removable)).toBeLessThan(0.6);
  });

  it("forgets a user's first days, when everything was new, and stops a never from growing for ever", () => {
    const fleet = counts(1_000, 50);
    const days = (n: number, timed: boolean, first = 3) => {
      const c = new RareEventCounts();
      for (let d = 0; d < n; d++)
        c.add(
          RARE_EVENTS.map((_, k) => k === removable && d < first),
          timed ? d * DAY_MS : undefined,
        );
      return c;
    };
    // Three first days with the event, then none: with forgetting it is rare again after a few weeks.
    expect(surpriseBits(days(45, true), fleet, removable)).toBeGreaterThan(
      surpriseBits(days(45, false), fleet, removable) + 1,
    );
    // The effective history saturates (~20 windows for a 14-day half-life), so later windows are not ever more surprising.
    expect(
      surpriseBits(days(120, true, 0), fleet, removable) - surpriseBits(days(60, true, 0), fleet, removable),
    ).toBeLessThan(0.2);
    expect(days(120, true).windows).toBeCloseTo(1 / (1 - 2 ** (-DAY_MS / RARE_RATE_HALF_LIFE_MS)), 0);
  });

  it('adds evidence up across days with a two-day half-life, never growing from a late window', () => {
    const sums = new DecayedSums(1);
    expect(sums.add(0, [8])[0]).toBe(8);
    expect(sums.add(2 * DAY_MS, [8])[0]).toBeCloseTo(12, 6);
    expect(sums.add(DAY_MS, [1])[0]).toBeCloseTo(13, 6);
  });

  it('scores a first removable device of a user with history high, and the tenth one low', () => {
    const extractor = new FeatureExtractor();
    const base = { v: 1 as const, user: 'nurse1', host: 'ws-1', role: 'nurse' };
    const windows = [];
    const day = (d: number, usb: boolean): PortableEvent[] => [
      { ...base, time: d * DAY_MS + 9 * 3_600_000, kind: 'logon', method: 'password' },
      ...(usb
        ? [
            {
              ...base,
              time: d * DAY_MS + 10 * 3_600_000,
              kind: 'device_connect' as const,
              deviceType: 'usb-storage',
              removable: true,
            },
          ]
        : []),
    ];
    for (let d = 0; d < 30; d++) for (const e of day(d, d >= 20)) windows.push(...extractor.push(e));
    windows.push(...extractor.flush());
    const first = windows.find((w) => w.values[F.removable_connects] > 0)!;
    const last = windows[windows.length - 1];
    expect(first.values[F.removable_rarity]).toBeGreaterThan(4);
    expect(last.values[F.removable_rarity]).toBeLessThan(2);
    expect(windows[5].values[F.removable_rarity]).toBe(0);
    expect(last.values[F.rarity_decayed]).toBeGreaterThan(last.values[F.removable_rarity]);
  });

  it("takes the prior from the user's peer group: a technician's first USB stick is less surprising than a nurse's", () => {
    const extractor = new FeatureExtractor();
    const event = (d: number, user: string, role: string, usb: boolean) =>
      usb ? usbStick(d, user, role) : logon(d, user, role);
    const windows: FeatureWindow[] = [];
    // Three weeks: four technicians, two of whom use USB sticks daily, and four nurses who never do.
    for (let d = 0; d < 21; d++)
      for (let i = 0; i < 4; i++) {
        windows.push(...extractor.push(event(d, `it${i}`, 'it', i < 2)));
        windows.push(...extractor.push(event(d, `nurse${i}`, 'nurse', false)));
      }
    // Day 21: a technician and a nurse who never used one plug in a stick for the first time.
    windows.push(
      ...extractor.push(event(21, 'it3', 'it', true)),
      ...extractor.push(event(21, 'nurse3', 'nurse', true)),
    );
    windows.push(...extractor.flush());
    const first = (user: string) => windows.find((w) => w.user === user && w.start === 21 * DAY_MS)!;
    const technician = first('it3').values[F.removable_rarity];
    const nurse = first('nurse3').values[F.removable_rarity];
    expect(nurse).toBeGreaterThan(technician + 2);
    expect(technician).toBeGreaterThan(1);
    expect(PEER_PRIOR_MIN_WINDOWS).toBeLessThan(4 * 21);
  });

  it('keeps the rates of at most MAX_ROLES roles (the role is a field of hostile input)', () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    // Day 0: one role is tracked before filler roles fill the bound.
    windows.push(...extractor.push(logon(0, 'early0', 'early')));
    for (let r = 1; r < MAX_ROLES; r++) windows.push(...extractor.push(logon(0, `filler${r}`, `role${r}`)));
    // Three weeks: a crowd that never uses USB sets the fleet's rate; the members of two roles, the
    // tracked one and one seen after the bound, use USB sticks daily.
    for (let d = 0; d < 21; d++) {
      for (let i = 0; i < 20; i++) windows.push(...extractor.push(logon(d, `n${i}`, 'nurse')));
      for (let i = 0; i < 3 && d > 0; i++)
        windows.push(
          ...extractor.push(usbStick(d, `early${i}`, 'early')),
          ...extractor.push(usbStick(d, `late${i}`, 'late')),
        );
    }
    for (const role of ['early', 'late']) windows.push(...extractor.push(logon(20, `${role}9`, role)));
    windows.push(...extractor.push(usbStick(21, 'early9', 'early')), ...extractor.push(usbStick(21, 'late9', 'late')));
    windows.push(...extractor.flush());
    const first = (user: string) => windows.find((w) => w.user === user && w.start === 21 * DAY_MS)!;
    // The late role has no rates of its own: its newcomer's first stick is judged by the fleet's.
    expect(first('late9').values[F.removable_rarity]).toBeGreaterThan(first('early9').values[F.removable_rarity] + 2);
  });

  it('counts a patient-data folder never touched before only once a user has a past', () => {
    const extractor = new FeatureExtractor();
    const copy = (d: number, unit: string): PortableEvent => ({
      v: 1,
      user: 'clerk1',
      host: 'ws-1',
      time: d * DAY_MS + 11 * 3_600_000,
      kind: 'file_copy',
      path: `D:\\PHI\\${unit}\\3\\chart.pdf`,
      folderClass: 'phi',
      targetPath: 'C:\\Users\\me\\chart.pdf',
      targetFolderClass: 'other',
    });
    const windows = [];
    // Four weeks at home: the first days, when the own folder was still unfamiliar, are forgotten.
    for (let d = 0; d < 28; d++) windows.push(...extractor.push(copy(d, 'admissions')));
    for (let d = 28; d < 31; d++) windows.push(...extractor.push(copy(d, 'oncology')));
    windows.push(...extractor.flush());
    expect(windows[0].values[F.new_phi_folder_rarity]).toBe(0);
    expect(windows[5].values[F.new_phi_folder_rarity]).toBe(0);
    expect(windows[28].values[F.new_phi_folder_rarity]).toBeGreaterThan(3);
    expect(windows[28].values[F.phi_reads_decayed]).toBeGreaterThan(2);
    // Another unit's folder on three days running stays unfamiliar, if less surprising each time.
    expect(windows[30].values[F.new_phi_folder_rarity]).toBeGreaterThan(1);
  });

  it('makes a folder familiar once touched in FAMILIAR_FOLDER_WINDOWS windows', () => {
    const extractor = new FeatureExtractor();
    const touch = (d: number): PortableEvent => ({
      v: 1,
      user: 'nurse2',
      host: 'ws-1',
      time: d * DAY_MS + 11 * 3_600_000,
      kind: 'file_write',
      path: 'D:\\PHI\\icu\\3\\note.docx',
      folderClass: 'phi',
    });
    const windows = [];
    for (let d = 0; d < 6; d++) windows.push(...extractor.push(touch(d)));
    windows.push(...extractor.flush());
    const unfamiliar = windows.map((w) => w.values[F.new_phi_folder_rarity] > 0);
    // Day 0 has no past; days 1 and 2 follow fewer than three windows with it; then it is familiar.
    expect(unfamiliar).toEqual([false, true, true, false, false, false]);
    expect(FAMILIAR_FOLDER_WINDOWS).toBe(3);
  });

  it("counts patient data of a folder no one of the user's unit works with, learned from the unit", () => {
    const extractor = new FeatureExtractor();
    const copy = (d: number, user: string, unit: string, folder: string, target: string) =>
      chartCopy(d, 0, user, unit, folder, target);
    const windows: FeatureWindow[] = [];
    // Three weeks: an ICU nurse works with the ICU folder, two IT technicians copy their own to USB.
    for (let d = 0; d < 21; d++) {
      windows.push(...extractor.push(copy(d, 'nurse1', 'icu', 'icu', 'C:\\Users\\me\\a.pdf')));
      windows.push(...extractor.push(copy(d, 'it1', 'it', 'it', 'E:\\a.pdf')));
      windows.push(...extractor.push(copy(d, 'it2', 'it', 'it', 'E:\\a.pdf')));
    }
    // Day 20: a second ICU nurse's first day at work (a logon); day 21 their first with the folder,
    // and the technician copies ICU charts to a share.
    windows.push(
      ...extractor.push({
        v: 1,
        user: 'nurse2',
        unit: 'icu',
        host: 'ws-nurse2',
        time: 20 * DAY_MS + 11 * 3_600_000,
        kind: 'logon',
      }),
    );
    windows.push(...extractor.push(copy(21, 'nurse2', 'icu', 'icu', 'C:\\Users\\me\\a.pdf')));
    windows.push(...extractor.push(copy(21, 'it1', 'it', 'icu', '\\\\fs\\scratch\\a.pdf')));
    windows.push(...extractor.flush());
    const at21 = (user: string) => windows.find((w) => w.user === user && w.start === 21 * DAY_MS)!;
    // The colleague's first day with the folder: new for them, familiar to their unit.
    expect(at21('nurse2').values[F.unit_foreign_phi_files]).toBe(0);
    expect(at21('it1').values[F.unit_foreign_phi_files]).toBe(1);
    expect(at21('it1').values[F.unit_foreign_phi_rarity]).toBeGreaterThan(3);
    // USB copies are removable writes; the copy to a share is a copy elsewhere.
    expect(windows.find((w) => w.user === 'it1')!.values[F.phi_copies_elsewhere]).toBe(0);
    expect(at21('it1').values[F.phi_copies_elsewhere]).toBe(1);
    expect(at21('it1').values[F.phi_copies_elsewhere_decayed]).toBe(1);
    // (1 plus what is left of the first days, when no folder was yet the unit's)
    expect(at21('it1').values[F.unit_foreign_phi_files_decayed]).toBeCloseTo(1, 1);
    expect(at21('nurse2').values[F.unit_foreign_phi_files_decayed]).toBe(0);
    expect(
      windows
        .filter((w) => w.user === 'nurse1' && w.start > 5 * DAY_MS)
        .every((w) => w.values[F.unit_foreign_phi_rarity] === 0),
    ).toBe(true);
  });

  it("adds up another unit's patient files over the days: a snooper's return is more than each day", () => {
    const extractor = new FeatureExtractor();
    const copy = (d: number, i: number, user: string, unit: string, folder: string) =>
      chartCopy(d, i, user, unit, folder, `C:\\Users\\me\\view${d}-${i}.pdf`);
    const windows: FeatureWindow[] = [];
    for (let d = 0; d < 24; d++) {
      for (const user of ['onc1', 'onc2']) windows.push(...extractor.push(copy(d, 0, user, 'oncology', 'oncology')));
      for (const user of ['icu1', 'icu2']) windows.push(...extractor.push(copy(d, 0, user, 'icu', 'icu')));
      // From day 21, the ICU nurse opens four oncology charts a day as well.
      for (let i = 1; d >= 21 && i <= 4; i++) windows.push(...extractor.push(copy(d, i, 'icu1', 'icu', 'oncology')));
    }
    windows.push(...extractor.flush());
    const nurse = (d: number) => windows.find((w) => w.user === 'icu1' && w.start === d * DAY_MS)!.values;
    // (what is left of the first days, when no folder was yet the unit's, is below 0.01)
    expect(nurse(20)[F.unit_foreign_phi_files_decayed]).toBeLessThan(0.01);
    expect(nurse(21)[F.unit_foreign_phi_files_decayed]).toBeCloseTo(4, 1);
    // Two-day half-life: 4 + 4·2^-½ on the second day, and more again on the third.
    expect(nurse(22)[F.unit_foreign_phi_files_decayed]).toBeCloseTo(4 + 4 * Math.SQRT1_2, 1);
    expect(nurse(23)[F.unit_foreign_phi_files_decayed]).toBeGreaterThan(nurse(22)[F.unit_foreign_phi_files_decayed]);
    const colleague = windows.filter((w) => w.user === 'onc1' && w.start >= 20 * DAY_MS);
    expect(colleague.every((w) => w.values[F.unit_foreign_phi_files_decayed] < 0.01)).toBe(true);
  });

  it('keeps a multi-day sum for every feature named as one, each of a day feature', () => {
    const named = FEATURES.map((f) => f.name).filter((name) => name.endsWith('_decayed'));
    expect(DECAYED_SUMS.map((d) => d.sum).sort()).toEqual(named.sort());
    expect(DECAYED_SUMS.every(({ sum, of }) => sum === `${of}_decayed`)).toBe(true);
  });

  it('adds up patient data put into a cloud-synced folder over the days, apart from other copies', () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    for (let d = 0; d < 24; d++) {
      // Both copy a chart into their Documents every day; from day 21 one fills a OneDrive, more each day.
      for (const user of ['nurse1', 'nurse2'])
        windows.push(...extractor.push(chartCopy(d, 0, user, 'icu', 'icu', `C:\\Users\\me\\Documents\\n${d}.pdf`)));
      for (let i = 1; d >= 21 && i <= 2 * (d - 20); i++)
        windows.push(
          ...extractor.push(chartCopy(d, i, 'nurse1', 'icu', 'icu', `C:\\Users\\me\\OneDrive\\${d}-${i}.pdf`)),
        );
    }
    windows.push(...extractor.flush());
    const sync = (user: string, d: number) =>
      windows.find((w) => w.user === user && w.start === d * DAY_MS)!.values[F.phi_copies_to_sync_decayed];
    expect(sync('nurse1', 20)).toBe(0);
    expect(sync('nurse1', 21)).toBeCloseTo(2, 5);
    // Two-day half-life: 4 + 2·2^-½ on the second day, 6 + that·2^-½ on the third.
    expect(sync('nurse1', 22)).toBeCloseTo(4 + 2 * Math.SQRT1_2, 5);
    expect(sync('nurse1', 23)).toBeCloseTo(6 + (4 + 2 * Math.SQRT1_2) * Math.SQRT1_2, 5);
    expect([20, 21, 22, 23].map((d) => sync('nurse2', d))).toEqual([0, 0, 0, 0]);
  });

  it('notices patient data put into a cloud-synced folder by someone who never does, not by a synced colleague', () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    const documents = (d: number) => `C:\\Users\\me\\Documents\\n${d}.pdf`;
    const oneDrive = (d: number) => `C:\\Users\\me\\OneDrive\\n${d}.pdf`;
    for (let d = 0; d < 21; d++) {
      // Five file a chart in their Documents every day; one has their profile synced (OneDrive) and files there.
      for (const user of ['nurse1', 'nurse3', 'nurse4', 'nurse5', 'nurse6'])
        windows.push(...extractor.push(chartCopy(d, 0, user, 'icu', 'icu', documents(d))));
      windows.push(...extractor.push(chartCopy(d, 0, 'synced', 'icu', 'icu', oneDrive(d))));
      // On day 20 nurse1 copies a chart into a OneDrive too.
      if (d === 20) windows.push(...extractor.push(chartCopy(d, 1, 'nurse1', 'icu', 'icu', oneDrive(d))));
    }
    windows.push(...extractor.flush());
    const bits = (user: string, d: number) =>
      windows.find((w) => w.user === user && w.start === d * DAY_MS)!.values[F.sync_copy_rarity];
    expect(bits('nurse1', 19)).toBe(0);
    expect(bits('nurse1', 20)).toBeGreaterThan(4);
    expect(bits('synced', 0)).toBe(0); // no past yet: nothing is new in a first window
    expect(bits('synced', 20)).toBeGreaterThan(0);
    expect(bits('synced', 20)).toBeLessThan(1);
    expect(RARITY_FEATURES).toContain('sync_copy_rarity');
  });

  it("tells one patient's charts read deeply from a few charts of many patients", () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    const copy = (d: number, i: number, user: string, unit: string, patient: string, ward = unit) => ({
      ...chartCopy(d, i, user, unit, ward, `C:\\Users\\me\\view${d}-${i}.pdf`),
      path: `D:\\PHI\\${ward}\\${patient}\\chart${i}.pdf`,
    });
    for (let d = 0; d < 22; d++) {
      for (const user of ['onc1', 'onc2'])
        for (let p = 0; p < 6; p++) windows.push(...extractor.push(copy(d, p, user, 'oncology', String(p))));
      for (const user of ['icu1', 'icu2']) windows.push(...extractor.push(copy(d, 0, user, 'icu', '0')));
    }
    // Day 22: the one ICU nurse consults four oncology patients, the other reads four charts of one.
    for (let i = 0; i < 4; i++) {
      windows.push(...extractor.push(copy(22, i, 'icu1', 'icu', String(i), 'oncology')));
      windows.push(...extractor.push(copy(22, i, 'icu2', 'icu', '5', 'oncology')));
    }
    windows.push(...extractor.flush());
    const at = (user: string, d = 22) => windows.find((w) => w.user === user && w.start === d * DAY_MS)!.values;
    expect([at('icu1')[F.unit_foreign_phi_files], at('icu1')[F.unit_foreign_phi_depth]]).toEqual([4, 1]);
    expect([at('icu2')[F.unit_foreign_phi_files], at('icu2')[F.unit_foreign_phi_depth]]).toEqual([4, 4]);
    expect(at('onc1', 21)[F.unit_foreign_phi_depth]).toBe(0); // six patients of their own unit
  });

  it("learns whose patients a folder holds from work on it, not from colleagues' reading it", () => {
    const event = (d: number, user: string, unit: string, folder: string, kind: 'file_read' | 'file_write') =>
      ({ ...chartCopy(d, 0, user, unit, folder, ''), kind }) as PortableEvent;
    /** Day 21's window of a third pharmacist opening the ICU patient's chart. */
    const third = (colleagues: 'file_read' | 'file_write') => {
      const extractor = new FeatureExtractor();
      const windows: FeatureWindow[] = [];
      // Three weeks: an ICU nurse documents the patient; two pharmacists open (or document in) the
      // chart every day; the third works on the pharmacy's own.
      for (let d = 0; d < 21; d++)
        for (const e of [
          event(d, 'nurse1', 'icu', 'icu', 'file_write'),
          event(d, 'ph1', 'pharmacy', 'icu', colleagues),
          event(d, 'ph2', 'pharmacy', 'icu', colleagues),
          event(d, 'ph3', 'pharmacy', 'pharmacy', 'file_write'),
        ])
          windows.push(...extractor.push(e));
      windows.push(...extractor.push(event(21, 'ph3', 'pharmacy', 'icu', 'file_read')), ...extractor.flush());
      return windows.find((w) => w.user === 'ph3' && w.start === 21 * DAY_MS)!;
    };
    expect(third('file_read').values[F.unit_foreign_phi_files]).toBe(1);
    expect(third('file_write').values[F.unit_foreign_phi_files]).toBe(0);
  });

  it("counts no foreign files in a user's first window, when every folder is new to their unit", () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    // A new unit's two nurses, from their first day: their own ward's charts, and one oncology chart each day.
    for (let d = 0; d < 3; d++)
      for (const user of ['ward1', 'ward2'])
        for (const [i, folder] of ['ward', 'oncology'].entries())
          windows.push(...extractor.push(chartCopy(d, i, user, 'ward', folder, `C:\\Users\\me\\c${d}-${i}.pdf`)));
    windows.push(...extractor.flush());
    const foreign = windows.filter((w) => w.user === 'ward1').map((w) => w.values[F.unit_foreign_phi_files]);
    // Day 0 is the first window: nothing counted, though the unit knew no folder yet. Day 1 counts
    // both (two windows of the unit behind each); by day 2 the unit's four windows make both its own.
    expect(foreign).toEqual([0, 2, 0]);
  });

  it('notices a return to a place new in the last week: the same patient of another unit, the same new folder', () => {
    const extractor = new FeatureExtractor();
    const windows: FeatureWindow[] = [];
    const profile = 'C:\\Users\\me\\';
    const day = (d: number, user: string, folder: string, target: string) =>
      windows.push(...extractor.push(chartCopy(d, 0, user, 'ward', folder, target)));
    // Ten days of the ward's own charts filed in the profile folder, by everyone.
    for (let d = 0; d < 10; d++)
      for (const user of ['snoop', 'leaver', 'colleague']) day(d, user, 'ward', `${profile}c${d}.pdf`);
    // Day 10: another unit's patient and a folder new to the leaver; day 11 back to both, and to the usual folder.
    day(10, 'snoop', 'oncology', `${profile}v10.pdf`);
    day(10, 'leaver', 'ward', `${profile}OneDrive\\g10.pdf`);
    day(11, 'snoop', 'oncology', `${profile}v11.pdf`);
    day(11, 'leaver', 'ward', `${profile}OneDrive\\g11.pdf`);
    day(11, 'colleague', 'ward', `${profile}c11.pdf`);
    // A week later the folder is no longer new: filling it is no return.
    day(18, 'leaver', 'ward', `${profile}OneDrive\\g18.pdf`);
    windows.push(...extractor.flush());
    const values = (user: string, d: number) => windows.find((w) => w.user === user && w.start === d * DAY_MS)!.values;
    const bits = (user: string, d: number) => [
      values(user, d)[F.foreign_folder_return_rarity],
      values(user, d)[F.copy_folder_return_rarity],
    ];
    for (const [user, d] of [
      ['snoop', 10],
      ['leaver', 10],
      ['colleague', 11],
      ['leaver', 18],
    ] as const)
      expect(bits(user, d)).toEqual([0, 0]);
    // The snooper's folder of another unit; the leaver's new folder (the snooper's usual one is no return).
    expect(bits('snoop', 11)[0]).toBeGreaterThan(4);
    expect(bits('snoop', 11)[1]).toBe(0);
    expect(bits('leaver', 11)[0]).toBe(0);
    expect(bits('leaver', 11)[1]).toBeGreaterThan(4);
    expect(RARITY_FEATURES).toEqual(
      expect.arrayContaining(['foreign_folder_return_rarity', 'copy_folder_return_rarity']),
    );
  });

  it('remembers at most MAX_REMEMBERED_ITEMS new places, for a week (folder names are hostile input)', () => {
    const places = new NewPlaces();
    const many = Array.from({ length: MAX_REMEMBERED_ITEMS + 10 }, (_, i) => `f${i}`);
    expect(places.returnsTo(many, () => true, 0)).toBe(false);
    expect(places.returnsTo(['f0'], () => true, DAY_MS)).toBe(true);
    expect(places.returnsTo([`f${MAX_REMEMBERED_ITEMS + 5}`], () => true, DAY_MS)).toBe(false);
    // Over a week after their first use every place is forgotten: no return, and room again.
    expect(places.returnsTo(['f1'], () => true, 8 * DAY_MS)).toBe(false);
    expect(places.returnsTo(['f1'], () => true, 9 * DAY_MS)).toBe(true);
  });

  it('notices a kind of patient-data file new on removable media for someone who uses it daily', () => {
    const extractor = new FeatureExtractor();
    const toUsb = (d: number, user: string, name: string, extension?: string): PortableEvent => ({
      v: 1,
      user,
      host: `ws-${user}`,
      time: d * DAY_MS + 11 * 3_600_000,
      kind: 'file_copy',
      path: `D:\\PHI\\imaging\\3\\${name}`,
      folderClass: 'phi',
      targetPath: `E:\\${name}`,
      targetFolderClass: 'removable',
      ...(extension !== undefined && { extension }),
    });
    const windows: FeatureWindow[] = [];
    // Three weeks of images burnt to USB every day; on day 21 charts go with them (the type from the name).
    for (let d = 0; d < 21; d++) windows.push(...extractor.push(toUsb(d, 'radiographer', 'img.dcm', 'DCM')));
    windows.push(...extractor.push(toUsb(21, 'radiographer', 'img.dcm', 'dcm')));
    windows.push(...extractor.push(toUsb(21, 'radiographer', 'chart.pdf')));
    windows.push(...extractor.push(toUsb(22, 'radiographer', 'chart2.pdf')));
    // Someone who never used removable media: their first copy is removable_rarity's, not this feature's.
    windows.push(...extractor.push(toUsb(22, 'clerk', 'chart.pdf', 'pdf')));
    windows.push(...extractor.flush());
    const day = (user: string, d: number) => windows.find((w) => w.user === user && w.start === d * DAY_MS)!;
    const typeBits = (user: string, d: number) => day(user, d).values[F.removable_phi_type_rarity];
    expect(typeBits('radiographer', 0)).toBe(0);
    // The same type in other letters is no new type.
    expect(typeBits('radiographer', 20)).toBe(0);
    expect(day('radiographer', 20).values[F.removable_rarity]).toBeLessThan(1);
    expect(typeBits('radiographer', 21)).toBeGreaterThan(4);
    // Once seen, the type is known.
    expect(typeBits('radiographer', 22)).toBe(0);
    expect(typeBits('clerk', 22)).toBe(0);
    expect(day('clerk', 22).values[F.removable_rarity]).toBeGreaterThan(0);
    expect(RARITY_FEATURES).toContain('removable_phi_type_rarity');
  });

  it('remembers the folders of at most MAX_UNITS units (the unit is a field of hostile input)', () => {
    const extractor = new FeatureExtractor();
    const write = (d: number, user: string, unit: string): PortableEvent => ({
      v: 1,
      user,
      unit,
      host: 'ws-1',
      time: d * DAY_MS + 11 * 3_600_000,
      kind: 'file_write',
      path: `D:\\PHI\\${unit}\\note.docx`,
      folderClass: 'phi',
    });
    for (let u = 0; u < MAX_UNITS; u++) extractor.push(write(0, `filler${u}`, `unit${u}`));
    const windows: FeatureWindow[] = [];
    // Two units seen after the bound is reached: one tracked before it filled up, one not.
    for (let d = 1; d < 6; d++) {
      windows.push(...extractor.push(write(d, 'a', 'unit0')));
      windows.push(...extractor.push(write(d, 'b', 'late-unit')));
    }
    // Colleagues with a past (on their first day no folder counts as another unit's).
    for (const d of [5, 6])
      windows.push(...extractor.push(write(d, 'a2', 'unit0')), ...extractor.push(write(d, 'b2', 'late-unit')));
    windows.push(...extractor.flush());
    const day6 = (user: string) => windows.find((w) => w.user === user && w.start === 6 * DAY_MS)!;
    expect(day6('a2').values[F.unit_foreign_phi_files]).toBe(0);
    expect(day6('b2').values[F.unit_foreign_phi_files]).toBe(1);
  });
});

/** Chart i of a patient of `folder`'s unit copied to `target` (USB when on E:) at 11:00 + i minutes of day d. */
function chartCopy(d: number, i: number, user: string, unit: string, folder: string, target: string): PortableEvent {
  return {
    v: 1,
    user,
    unit,
    host: `ws-${user}`,
    time: d * DAY_MS + 11 * 3_600_000 + i * 60_000,
    kind: 'file_copy',
    path: `D:\\PHI\\${folder}\\3\\chart${i}.pdf`,
    folderClass: 'phi',
    targetPath: target,
    targetFolderClass: target.startsWith('E:') ? 'removable' : 'other',
  };
}

/** A USB stick plugged in at 10:00 of day d. */
function usbStick(d: number, user: string, role: string): PortableEvent {
  return {
    v: 1,
    user,
    role,
    host: `ws-${user}`,
    time: d * DAY_MS + 10 * 3_600_000,
    kind: 'device_connect',
    deviceType: 'usb-storage',
    removable: true,
  };
}

/** A logon at 09:00 of day d. */
function logon(d: number, user: string, role: string): PortableEvent {
  return { v: 1, user, role, host: `ws-${user}`, time: d * DAY_MS + 9 * 3_600_000, kind: 'logon', method: 'password' };
}
