// Bulk insert that skips rows whose primary key is already stored, for the hot
// ingest path. TypeORM's query builder spent more CPU building a 500-row INSERT
// (parameter naming, escaping) than the database spent running it, so this writes
// the SQL once per row count with positional parameters and runs it through the
// transaction's EntityManager. The columns come from the entity's metadata, and each
// value goes through the driver's own conversion (transformers included), so the
// rows stored are the ones TypeORM's insert would store.
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/** Bound parameters one statement may carry: SQLite's default limit (since 3.32) and PostgreSQL's protocol limit. */
export const MAX_PARAMETERS = { sqlite: 32_766, postgres: 65_535 } as const;

type Engine = keyof typeof MAX_PARAMETERS;

interface Plan {
  engine: Engine;
  columns: ColumnMetadata[];
  keys: ColumnMetadata[];
  rowsPerStatement: number;
  head: string;
  tail: string;
  /** SQL by row count; few counts recur (full chunks and a batch's remainder), so a small FIFO. */
  sql: Map<number, string>;
}

const SQL_CACHE = 8;
const plans = new WeakMap<EntityMetadata, Plan>();

/** The columns an insert of this entity writes, in order: every stored column of the entity. */
export function insertColumns(metadata: EntityMetadata): ColumnMetadata[] {
  for (const column of metadata.columns)
    if (column.isGenerated || column.isVirtual || !column.isInsert)
      throw new Error(`insertNewRows does not handle column ${metadata.name}.${column.propertyName}`);
  return metadata.columns;
}

function planFor(manager: EntityManager, metadata: EntityMetadata): Plan {
  const known = plans.get(metadata);
  if (known) return known;
  const type = manager.connection.options.type;
  const engine: Engine = type === 'postgres' ? 'postgres' : type === 'better-sqlite3' ? 'sqlite' : unsupported(type);
  const driver = manager.connection.driver;
  const columns = insertColumns(metadata);
  const keys = metadata.primaryColumns;
  const table = metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const names = (list: ColumnMetadata[]) => list.map((c) => driver.escape(c.databaseName)).join(', ');
  const plan: Plan = {
    engine,
    columns,
    keys,
    rowsPerStatement: Math.floor(MAX_PARAMETERS[engine] / columns.length),
    head: `INSERT INTO ${table} (${names(columns)}) VALUES `,
    // The conflict target is the key: any other constraint a row breaks still fails the batch.
    tail: ` ON CONFLICT (${names(keys)}) DO NOTHING RETURNING ${names(keys)}`,
    sql: new Map(),
  };
  plans.set(metadata, plan);
  return plan;
}

function unsupported(type: string): never {
  throw new Error(`insertNewRows: no support for ${type}`);
}

function sqlFor(plan: Plan, rows: number): string {
  const known = plan.sql.get(rows);
  if (known) return known;
  const width = plan.columns.length;
  const tuples: string[] = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const marks: string[] = new Array<string>(width);
    for (let c = 0; c < width; c++) marks[c] = plan.engine === 'postgres' ? `$${r * width + c + 1}` : '?';
    tuples[r] = `(${marks.join(', ')})`;
  }
  const sql = plan.head + tuples.join(', ') + plan.tail;
  plan.sql.set(rows, sql);
  if (plan.sql.size > SQL_CACHE) plan.sql.delete(plan.sql.keys().next().value as number);
  return sql;
}

const keyOf = (values: unknown[]) => values.map(String).join('\u0000');

/**
 * Inserts the rows whose primary key is neither stored nor earlier in `rows`, and
 * returns those (in input order). A row a concurrent transaction stored first is
 * skipped, not an error. Runs on the given manager, so inside its transaction.
 */
export async function insertNewRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  rows: readonly T[],
): Promise<T[]> {
  const metadata = manager.connection.getMetadata(entity);
  const plan = planFor(manager, metadata);
  const driver = manager.connection.driver;
  // Repeats inside the input go before the database sees them: the first one counts.
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(plan.keys.map((c): unknown => driver.preparePersistentValue(c.getEntityValue(row), c)));
    if (!byKey.has(key)) byKey.set(key, row);
  }
  const unique = [...byKey.values()];
  const inserted = new Set<string>();
  for (let start = 0; start < unique.length; start += plan.rowsPerStatement) {
    const chunk = unique.slice(start, start + plan.rowsPerStatement);
    const params: unknown[] = new Array<unknown>(chunk.length * plan.columns.length);
    let i = 0;
    for (const row of chunk)
      for (const column of plan.columns) {
        const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column);
        params[i++] = value === undefined ? null : value;
      }
    const returned = await manager.query<Record<string, unknown>[]>(sqlFor(plan, chunk.length), params);
    for (const stored of returned) inserted.add(keyOf(plan.keys.map((c) => stored[c.databaseName])));
  }
  const fresh: T[] = [];
  for (const [key, row] of byKey) if (inserted.has(key)) fresh.push(row);
  return fresh;
}
