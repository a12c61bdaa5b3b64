import { describe, expect, it } from 'vitest';
import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './cursor-pages';

describe('cursor pages', () => {
  it('walks forward by the cursors the manager gave and back the same way', () => {
    expect([currentCursor(FIRST_PAGE), pageNumber(FIRST_PAGE)]).toEqual([undefined, 1]);
    const second = nextPage(FIRST_PAGE, 'c1');
    const third = nextPage(second, 'c2');
    expect([currentCursor(third), pageNumber(third)]).toEqual(['c2', 3]);
    expect(previousPage(third)).toEqual(second);
    expect(previousPage(previousPage(third))).toEqual(FIRST_PAGE);
  });

  it('stays on the first page when asked to go before it', () => {
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
  });
});
