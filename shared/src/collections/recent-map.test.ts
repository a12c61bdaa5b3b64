import { describe, expect, it } from 'vitest';
import { RecentMap, RecentSet } from './recent-map';

describe('RecentMap', () => {
  it('keeps the most recent half of its capacity whatever passes through once, and never holds more', () => {
    const map = new RecentMap<string, number>(8);
    const hot = ['a', 'b', 'c'];
    for (let round = 0; round < 50; round++) {
      for (const key of hot) if (map.get(key) === undefined) map.set(key, round);
      map.set(`once-${round}`, round); // seen once, never again
      expect(map.size).toBeLessThanOrEqual(8);
    }
    // Three hot keys and one new key a round (four, half the capacity): the hot ones were never forgotten.
    expect(hot.map((key) => map.get(key))).toEqual([0, 0, 0]);
  });

  it('forgets the least recently used first, and reading an old entry keeps it', () => {
    const map = new RecentMap<number, string>(4);
    map.set(1, 'one').set(2, 'two'); // the young generation is full: {1, 2} becomes old
    map.set(3, 'three');
    expect(map.get(1)).toBe('one'); // read: back to the young generation, full again: {3, 1} is old, 2 dropped
    map.set(4, 'four');
    expect([map.has(1), map.has(2), map.has(3), map.has(4)]).toEqual([true, false, true, true]);
    expect([...map.keys()]).toEqual([3, 1, 4]);
  });

  it('updates in place, deletes from either generation, and holds undefined-free values only once', () => {
    const map = new RecentMap<string, number>(6);
    map.set('a', 1).set('b', 2).set('c', 3); // {a, b, c} is now the old generation
    map.set('a', 10); // from the old generation to the young one, not a second copy
    expect(map.size).toBe(3);
    expect(Object.fromEntries(map)).toEqual({ a: 10, b: 2, c: 3 });
    expect(map.delete('b')).toBe(true);
    expect(map.delete('b')).toBe(false);
    expect(map.get('b')).toBeUndefined();
    map.clear();
    expect(map.size).toBe(0);
  });

  it('refuses a capacity that cannot hold a generation', () => {
    expect(() => new RecentMap(1)).toThrow(RangeError);
    expect(() => new RecentMap(Number.NaN)).toThrow(RangeError);
  });

  it('as a set: an item added again is kept as recently used', () => {
    const set = new RecentSet<string>(4);
    set.add('ehr').add('mail'); // old generation
    set.add('web').add('ehr'); // ehr used again: it and web are the old generation now, mail is forgotten
    set.add('pacs');
    expect([set.has('ehr'), set.has('mail'), set.has('web'), set.has('pacs')]).toEqual([true, false, true, true]);
    expect(set.size).toBe(3);
    expect([...set].sort()).toEqual(['ehr', 'pacs', 'web']);
  });
});
