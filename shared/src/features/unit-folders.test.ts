import { describe, expect, it } from 'vitest';
import { FAMILIAR_FOLDER_WINDOWS, MAX_UNITS, UnitFolders } from './unit-folders';

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

  it('makes a folder the unit’s after FAMILIAR_FOLDER_WINDOWS windows, and a one-person unit’s from its own', () => {
    const units = new UnitFolders();
    for (let d = 0; d < FAMILIAR_FOLDER_WINDOWS; d++) {
      expect(units.familiar('lab', 'lab/1', 'tech1')).toBe(false);
      units.add('lab', 'tech1', ['lab/1']);
    }
    expect(units.familiar('lab', 'lab/1', 'tech1')).toBe(true);
    expect(units.familiar('pharmacy', 'lab/1', 'tech1')).toBe(false);
  });

  it('keeps at most MAX_UNITS units (the unit is a field of hostile input)', () => {
    const units = new UnitFolders();
    for (let u = 0; u <= MAX_UNITS; u++) for (let d = 0; d < 3; d++) units.add(`unit${u}`, 'x', ['f']);
    expect(units.familiar(`unit${MAX_UNITS - 1}`, 'f', 'x')).toBe(true);
    expect(units.familiar(`unit${MAX_UNITS}`, 'f', 'x')).toBe(false);
  });
});
