// Next/previous over a keyset-paged list (the manager's one paging cursor): the cursors
// of the pages walked so far, newest page first. A cursor only goes forward, so going
// back is popping the one that led here; the first page has no cursor.
import { useState } from 'react';

/** The cursors that led to each page walked so far; `[undefined]` on the first page. */
export type CursorTrail = readonly (string | undefined)[];

export const FIRST_PAGE: CursorTrail = [undefined];

export const currentCursor = (trail: CursorTrail): string | undefined => trail.at(-1);

/** 1 on the first page. */
export const pageNumber = (trail: CursorTrail): number => trail.length;

export const nextPage = (trail: CursorTrail, nextCursor: string): CursorTrail => [...trail, nextCursor];

export const previousPage = (trail: CursorTrail): CursorTrail => (trail.length > 1 ? trail.slice(0, -1) : trail);

export interface CursorPages {
  cursor: string | undefined;
  page: number;
  next: (nextCursor: string) => void;
  previous: () => void;
}

export function useCursorPages(): CursorPages {
  const [trail, setTrail] = useState<CursorTrail>(FIRST_PAGE);
  return {
    cursor: currentCursor(trail),
    page: pageNumber(trail),
    next: (nextCursor) => setTrail((current) => nextPage(current, nextCursor)),
    previous: () => setTrail(previousPage),
  };
}
