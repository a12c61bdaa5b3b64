import { describe, expect, it } from 'vitest';
import { detailEntries, formatValue } from './detail-entries';

describe('detailEntries', () => {
  it('lists keys in order with printable values', () => {
    expect(detailEntries({ path: '/x/<b>y</b>', size: 12, nested: { a: [1] }, gone: null })).toEqual([
      ['gone', 'null'],
      ['nested', '{"a":[1]}'],
      ['path', '/x/<b>y</b>'],
      ['size', '12'],
    ]);
  });

  it('says when a value is empty', () => {
    expect(formatValue('')).toBe('(empty)');
  });

  it('cuts very long values and says how long they were', () => {
    const text = formatValue('x'.repeat(5000));
    expect(text.startsWith('x'.repeat(2000))).toBe(true);
    expect(text).toContain('(5000 characters)');
  });

  it('survives values JSON cannot print', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(formatValue(loop)).toBe('[unprintable value]');
  });
});
