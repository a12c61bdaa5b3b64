import { describe, expect, it } from 'vitest';
import { bounded, boundedEntries } from './bounded';

describe('bounded log values', () => {
  it('cuts a long string and says how much was cut; a short one is unchanged', () => {
    expect(bounded('ward3-ws12')).toBe('ward3-ws12');
    const cut = bounded('x'.repeat(100_000));
    expect(cut).toBe(`${'x'.repeat(160)}…(+99840)`);
    expect(bounded(12, 1)).toBe('1…(+1)');
  });

  it('keeps a few entries of a map with bounded keys and values, and counts the rest', () => {
    const hostile = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${i}${'k'.repeat(100_000)}`, i]));
    const { entries, omitted } = boundedEntries(hostile);
    expect(omitted).toBe(24);
    expect(Object.keys(entries)).toHaveLength(16);
    expect(JSON.stringify(entries).length).toBeLessThan(16 * 200);
    expect(boundedEntries({ budget: 3 })).toEqual({ entries: { budget: '3' }, omitted: 0 });
  });
});
