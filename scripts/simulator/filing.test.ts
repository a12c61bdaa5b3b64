import { describe, expect, it } from 'vitest';
import type { PortableEvent } from '@wardwatch/shared';
import { folderOf } from './follow-ups';
import { simulate } from './simulate';

describe('filing and synced profiles in the hard hospital', () => {
  const sim = simulate({ days: 30, users: 60, seed: 7, difficulty: 'hard', scenarios: [] });
  const copies = sim.events.filter(
    (e): e is Extract<PortableEvent, { kind: 'file_copy' }> => e.kind === 'file_copy' && e.folderClass === 'phi',
  );

  it("copies some of the person's own unit's charts into folders new to them", () => {
    const seen = new Map<string, Set<string>>();
    const firsts: string[] = [];
    for (const e of copies) {
      if (e.targetFolderClass === 'removable') continue;
      const folders = seen.get(e.user) ?? seen.set(e.user, new Set()).get(e.user)!;
      const folder = folderOf(e.targetPath);
      const everyday = folder === 'C:\\Users\\me' || folder === 'C:\\Users\\me\\OneDrive';
      if (!everyday && !folders.has(folder) && e.path.startsWith(`D:\\PHI\\${e.unit}\\`))
        firsts.push(`${e.user} ${folder}`);
      folders.add(folder);
    }
    // Beyond the everyday profile folder: about one person in three over a month.
    expect(firsts.length).toBeGreaterThan(10);
    expect(firsts.some((f) => f.includes('\\handover\\'))).toBe(true);
  });

  it("puts synced staff's everyday copies in their cloud-synced folder, the others' in the profile", () => {
    const letters = copies.filter((e) => e.targetPath.endsWith('\\letter.pdf'));
    const synced = letters.filter((e) => e.targetPath === 'C:\\Users\\me\\OneDrive\\letter.pdf');
    expect(synced.length).toBeGreaterThan(0);
    expect(letters.length - synced.length).toBeGreaterThan(synced.length);
    for (const user of new Set(synced.map((e) => e.user)))
      expect(letters.filter((e) => e.user === user).every((e) => e.targetPath.includes('OneDrive'))).toBe(true);
  });

  it('leaves the classic hospital without them', () => {
    const classic = simulate({ days: 30, users: 60, seed: 7, scenarios: [] });
    expect(classic.events.some((e) => e.kind === 'file_copy' && e.targetPath.includes('OneDrive'))).toBe(false);
  });
});
