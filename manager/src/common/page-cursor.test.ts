import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CursorError, pageCursor, toPage } from './page-cursor';

const cursor = pageCursor(z.tuple([z.number().int(), z.string()]));

describe('pageCursor', () => {
  it('round-trips the key of the last row', () => {
    expect(cursor.decode(cursor.encode([1_700_000_000_000, 'id:with:colons']))).toEqual([
      1_700_000_000_000,
      'id:with:colons',
    ]);
  });

  it.each([
    ['not base64 JSON', 'garbage'],
    ['empty', ''],
    ['another shape', Buffer.from('["a", 1]').toString('base64url')],
    ['too long a tuple', Buffer.from('[1, "a", "b"]').toString('base64url')],
    ['a fraction', Buffer.from('[1.5, "a"]').toString('base64url')],
  ])('refuses %s with a CursorError (a 400)', (_name, bad) => {
    expect(() => cursor.decode(bad)).toThrow(CursorError);
    expect(() => cursor.decode(bad)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor', status: 'bad_request' }),
    );
  });
});

describe('toPage', () => {
  it('gives a next cursor only when a row beyond the limit came back', () => {
    const key = (n: number) => `k${n}`;
    expect(toPage([3, 2, 1], 2, String, key)).toEqual({ items: ['3', '2'], nextCursor: 'k2' });
    expect(toPage([3, 2], 2, String, key)).toEqual({ items: ['3', '2'] });
  });
});
