import { describe, expect, it } from 'vitest';
import { Census, MEAN_STAY_DAYS } from './admissions';
import { HARD_SCENARIOS } from './scenarios';
import { simulate } from './simulate';

describe('Census', () => {
  it("gives a bed a new patient every few days, the same for the same seed, and each ward's beds their own", () => {
    const census = new Census(7);
    const stays = Array.from({ length: 60 }, (_, day) => census.patient('icu', 3, day));
    expect(new Census(7).patient('icu', 3, 30)).toBe(stays[30]);
    const patients = new Set(stays);
    // Sixty days of one bed at a mean stay of five days: about twelve patients.
    expect(patients.size).toBeGreaterThan(60 / MEAN_STAY_DAYS / 2);
    expect(patients.size).toBeLessThan((60 / MEAN_STAY_DAYS) * 2);
    // A stay is one run of days.
    expect(stays.filter((p, day) => day > 0 && p !== stays[day - 1]).length).toBe(patients.size - 1);
    expect(census.patient('oncology', 3, 30)).not.toBe(undefined);
    expect(census.admit('D:\\PHI\\icu\\3\\chart.pdf', 30)).toBe(`D:\\PHI\\icu\\${stays[30]}\\chart.pdf`);
    for (const path of ['D:\\PHI\\icu\\letter.pdf', 'C:\\Users\\me\\3\\x.pdf', '/phi/icu/3/x.pdf'])
      expect(census.admit(path, 30)).toBe(path);
  });

  it('names the patient folders of the hard hospital after the patients, a few new ones each day', () => {
    const sim = simulate({ days: 20, users: 40, seed: 3, difficulty: 'hard', scenarios: [...HARD_SCENARIOS] });
    const icu = new Set(
      sim.events.flatMap((e) => ('path' in e && e.path.startsWith('D:\\PHI\\icu\\') ? [e.path.split('\\')[3]] : [])),
    );
    expect([...icu].filter((folder) => /^\d+$/.test(folder))).toEqual([]);
    expect(icu.size).toBeGreaterThan(12 + 12);
  });
});
