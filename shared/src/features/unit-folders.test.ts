import { describe, expect, it } from 'vitest';
import { FAMILIAR_FOLDER_WINDOWS, MAX_UNITS, UnitFolders } from './unit-folders';
import { MAX_REMEMBERED_ITEMS } from './user-history';

describe('UnitFolders', () => {
  it("never lets a snooper's own visits make another unit's chart their unit's", () => {
    const units = new UnitFolders();
    units.add('icu', 'nurse2', ['icu/1']);
    for (let d = 0; d < 5; d++) units.add('icu', 'nurse1', ['icu/1', 'oncology/7']);
    expect(units.familiar('icu', 'oncology/7', 'nurse1')).toBe(false);
    // The same folder is the unit's for a colleague: five windows, none theirs.
    expect(units.familiar('icu', 'oncology/7', 'nurse2')).toBe(true);
    expect(units.familiar('icu', 'icu/1', 'nurse1')).toBe(true);
  });

  it("counts only others' windows for the user who asks: a colleague's one consult does not cover a snooper", () => {
    const units = new UnitFolders();
    for (const user of ['icu1', 'icu2', 'icu3']) units.add('icu', user, ['icu/6']); // the ICU's patient
    units.add('maternity', 'nurse2', ['maternity/1']);
    units.add('maternity', 'physician1', ['icu/6']); // a consult, once
    units.add('maternity', 'nurse1', ['icu/6']);
    units.add('maternity', 'nurse1', ['icu/6']);
    // Three windows of the unit, two of them the snooper's own: not familiar to them.
    expect(units.familiar('maternity', 'icu/6', 'nurse1', 2)).toBe(false);
    expect(units.familiar('maternity', 'icu/6', 'nurse2', 0)).toBe(true);
    for (const user of ['nurse2', 'nurse3', 'physician1']) units.add('maternity', user, ['icu/6']);
    expect(units.familiar('maternity', 'icu/6', 'nurse1', 2)).toBe(true); // four of others: the ward's now
  });

  it('makes a folder the unit’s after FAMILIAR_FOLDER_WINDOWS windows, and a one-person unit’s from its own', () => {
    const units = new UnitFolders();
    for (let d = 0; d < FAMILIAR_FOLDER_WINDOWS; d++) {
      expect(units.familiar('lab', 'lab/1', 'tech1')).toBe(false);
      units.add('lab', 'tech1', ['lab/1']);
    }
    expect(units.familiar('lab', 'lab/1', 'tech1')).toBe(true);
    expect(units.familiar('pharmacy', 'lab/1', 'tech1')).toBe(false);
  });

  it('takes a folder no other unit works with, where the unit works, as the unit’s: a patient just admitted', () => {
    const units = new UnitFolders();
    for (let d = 0; d < 3; d++) {
      units.add('icu', `nurse${d}`, ['D:\\PHI\\icu\\bed1', 'D:\\PHI\\icu\\bed2']);
      units.add('oncology', `onc${d}`, ['D:\\PHI\\oncology\\bed1', 'D:\\PHI\\oncology\\bed7']);
    }
    // A new admission on the ward: opened by no one yet, in the folder the unit works in; a consult from
    // another ward opening it first (on the weekend) does not make it theirs.
    expect(units.familiar('icu', 'D:\\PHI\\icu\\bed3', 'nurse0')).toBe(true);
    units.add('oncology', 'onc0', ['D:\\PHI\\icu\\bed4']);
    expect(units.familiar('icu', 'D:\\PHI\\icu\\bed4', 'nurse0')).toBe(true);
    // Another ward's patient, known there, or new there: foreign all the same.
    expect(units.familiar('icu', 'D:\\PHI\\oncology\\bed7', 'nurse0')).toBe(false);
    expect(units.familiar('icu', 'D:\\PHI\\oncology\\bed9', 'nurse0')).toBe(false);
    // One layout for all wards: a new patient is no one's yet; one another ward works with is foreign.
    const flat = new UnitFolders();
    for (let d = 0; d < 3; d++) {
      flat.add('icu', `nurse${d}`, ['/phi/p1']);
      flat.add('oncology', `onc${d}`, ['/phi/p2']);
    }
    expect(flat.familiar('icu', '/phi/p3', 'nurse0')).toBe(true);
    expect(flat.familiar('icu', '/phi/p2', 'nurse0')).toBe(false);
    // Where the unit works is learned like its folders: a snooper's own visits do not make it theirs.
    const snooped = new UnitFolders();
    snooped.add('icu', 'nurse2', ['D:\\PHI\\icu\\bed1']);
    for (let d = 0; d < 5; d++) snooped.add('icu', 'nurse1', ['D:\\PHI\\icu\\bed1', 'D:\\PHI\\oncology\\bed4']);
    expect(snooped.familiar('icu', 'D:\\PHI\\oncology\\bed5', 'nurse1')).toBe(false);
  });

  it('still learns the patients a unit admits after more folders than it remembers', () => {
    const units = new UnitFolders();
    const twice = (unit: string, folders: string[]) => {
      for (let w = 0; w < FAMILIAR_FOLDER_WINDOWS; w++) for (const user of ['a', 'b']) units.add(unit, user, folders);
    };
    // One folder for every patient, two units working in it.
    twice('oncology', ['D:\\PHI\\all\\onc-1']);
    twice('icu', ['D:\\PHI\\all\\icu-0']);
    // Years of ICU admissions: more patient folders than the unit remembers.
    for (let i = 1; i <= MAX_REMEMBERED_ITEMS + 100; i++) units.add('icu', 'a', [`D:\\PHI\\all\\old-${i}`]);
    twice('icu', ['D:\\PHI\\all\\icu-new']);
    expect(units.familiar('icu', 'D:\\PHI\\all\\icu-new', 'a')).toBe(true);
    // The new patient is the ICU's, so foreign to oncology.
    expect(units.familiar('oncology', 'D:\\PHI\\all\\icu-new', 'a')).toBe(false);
  });

  it('keeps at most MAX_UNITS units (the unit is a field of hostile input)', () => {
    const units = new UnitFolders();
    for (let u = 0; u <= MAX_UNITS; u++) for (let d = 0; d < 3; d++) units.add(`unit${u}`, 'x', ['f']);
    expect(units.familiar(`unit${MAX_UNITS - 1}`, 'f', 'x')).toBe(true);
    expect(units.familiar(`unit${MAX_UNITS}`, 'f', 'x')).toBe(false);
  });
});
