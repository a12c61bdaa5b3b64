import { describe, expect, it } from 'vitest';
import type { PortableEvent } from '@wardwatch/shared';
import { folderOf } from './follow-ups';
import { simulate } from './simulate';

const DAY = 86_400_000;
type Copy = Extract<PortableEvent, { kind: 'file_copy' }>;

/** Per person, the places (by `placeOf`) copied from or into on more than one day. */
function returns(copies: Copy[], placeOf: (copy: Copy) => string | null): string[] {
  const days = new Map<string, Set<number>>();
  for (const copy of copies) {
    const place = placeOf(copy);
    if (place === null) continue;
    const key = `${copy.user} ${place}`;
    (days.get(key) ?? days.set(key, new Set()).get(key)!).add(Math.floor(copy.time / DAY));
  }
  return [...days].filter(([, d]) => d.size > 1).map(([key]) => key);
}

describe('benign returns to a place new the day before', () => {
  const copiesOf = (difficulty: 'hard' | 'classic') =>
    simulate({ days: 30, users: 80, seed: 7, difficulty, scenarios: [] }).events.filter(
      (e): e is Copy => e.kind === 'file_copy' && e.folderClass === 'phi' && e.targetFolderClass !== 'removable',
    );
  const consulted = (copy: Copy) => (copy.path.startsWith(`D:\\PHI\\${copy.unit}\\`) ? null : folderOf(copy.path));
  const filed = (copy: Copy) => {
    const folder = folderOf(copy.targetPath);
    return /(audit|teaching|meeting)-\d+$|handover\\\d+$/.test(folder) ? folder : null;
  };

  it("reopens another unit's patient on later days, and fills an audit folder over several", () => {
    const copies = copiesOf('hard');
    expect(returns(copies, consulted).length).toBeGreaterThan(5);
    expect(returns(copies, filed).length).toBeGreaterThan(2);
  });

  it('leaves the classic hospital without them', () => {
    const copies = copiesOf('classic');
    expect(returns(copies, consulted)).toEqual([]);
    expect(returns(copies, filed)).toEqual([]);
  });
});
