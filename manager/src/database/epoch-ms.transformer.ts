// Times are epoch milliseconds in a bigint column on both engines. PostgreSQL's
// driver returns bigint as a string (it may not fit a JS number); ours always do.
import type { ValueTransformer } from 'typeorm';

export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** JSON kept in a text column, the same on SQLite and PostgreSQL. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};
