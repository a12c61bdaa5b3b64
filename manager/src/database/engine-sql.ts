// Raw SQL that runs on both engines: `?` placeholders numbered for PostgreSQL, and the
// few expressions the engines spell differently. Only repositories use it.
import type { DataSource } from 'typeorm';

export function isPostgres(db: DataSource): boolean {
  return db.options.type === 'postgres';
}

/** `$n` on PostgreSQL, `?` on SQLite. */
export function placeholders(db: DataSource, text: string): string {
  let n = 0;
  return isPostgres(db) ? text.replace(/\?/g, () => `$${++n}`) : text;
}

/** The string at `field` of a JSON object stored in a text column (null when absent). */
export function jsonTextField(db: DataSource, column: string, field: string): string {
  if (!/^[a-zA-Z]+$/.test(field)) throw new Error(`not a plain JSON field name: ${field}`);
  return isPostgres(db) ? `(${column}::json ->> '${field}')` : `json_extract(${column}, '$.${field}')`;
}
