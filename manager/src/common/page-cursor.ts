// The one paging cursor of the REST API (events, alerts, scores): the sort key of the
// last row of a page, as base64url JSON of a tuple. Each list names the tuple's shape;
// a cursor that does not decode to it is refused with a 400, never read as "first page".
import type { z } from 'zod';
import { DomainError } from './domain-error';

export class CursorError extends DomainError {
  constructor() {
    super('invalid_cursor', 'invalid cursor: pass back the nextCursor of a previous page', 'bad_request');
  }
}

/** A cursor codec for one sort key. */
export interface PageCursor<K extends readonly unknown[]> {
  encode(key: K): string;
  /** Throws CursorError for anything but a cursor this codec made. */
  decode(cursor: string): K;
}

export function pageCursor<S extends z.ZodTuple>(shape: S): PageCursor<z.infer<S>> {
  return {
    encode: (key) => Buffer.from(JSON.stringify(key)).toString('base64url'),
    decode: (cursor) => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new CursorError();
      }
      const parsed = shape.safeParse(json);
      if (!parsed.success) throw new CursorError();
      return parsed.data;
    },
  };
}

/** A page of a keyset-paged list: one row more than asked for says there is a next page. */
export function toPage<R, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
  keyOf: (row: R) => string,
): { items: V[]; nextCursor?: string } {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  const items = kept.map(view);
  return rows.length > limit && last !== undefined ? { items, nextCursor: keyOf(last) } : { items };
}
