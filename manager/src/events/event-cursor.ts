// The opaque paging cursor: the sort key of the last row of a page, base64url JSON.
import { z } from 'zod';

const Cursor = z.tuple([z.number().int(), z.string(), z.string()]);
export type CursorKey = { timeMs: number; agentId: string; eventId: string };

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.timeMs, key.agentId, key.eventId])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey | undefined {
  try {
    const [timeMs, agentId, eventId] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return { timeMs, agentId, eventId };
  } catch {
    return undefined;
  }
}
