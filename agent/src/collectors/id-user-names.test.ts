import { describe, expect, it } from 'vitest';
import { idLookup, IdUserNames } from './id-user-names';

describe('IdUserNames', () => {
  it('asks once per uid while the name is kept, again after, and says uid:<n> for a uid without one', async () => {
    let now = 0;
    const asked: number[] = [];
    const names = new IdUserNames(
      (uid) => {
        asked.push(uid);
        return Promise.resolve(uid === 501 ? 'nurse.ana' : undefined);
      },
      () => now,
      60_000,
    );
    expect(await Promise.all([names.name(501), names.name(501), names.name(777)])).toEqual([
      'nurse.ana',
      'nurse.ana',
      'uid:777',
    ]);
    now = 60_000;
    await names.name(501);
    expect(asked).toEqual([501, 777, 501]);
  });

  it("asks this machine's id for real", async () => {
    expect(await idLookup(0)).toBe('root');
    expect(await idLookup(2_000_000_123)).toBeUndefined();
  });
});
