// What one check of the automatic-action caps costs (issue #8): `AutoActionCaps.take`, as the
// playbooks call it, i.e. the conditional insert into auto_action_slot that counts the sliding
// minute fleet-wide and for the unit and takes the slot in one statement (on PostgreSQL in a
// transaction under an advisory lock), plus the bounded prune of old slots it runs once a
// minute of (simulated) time. Caps 30 a minute, 5 per unit, 20 units; WW_STALE (5,000) slots
// older than the window are there at the start, as after a prune that fell behind. Two phases:
//   room:  the clock moves 2 s per check, so every check takes a slot (the insert path);
//   full:  the clock moves 1 ms per check, so after 30 slots every check is refused (the
//          refusal path: the insert that inserts nothing, then the count saying which cap).
// Prints the median and p99 of WW_CHECKS (2,000) checks per phase, the verdicts, the count's
// query plan and the load average. SQLite always; PostgreSQL too when it answers at
// WARDWATCH_TEST_PG_URL (postgres://postgres@127.0.0.1:5432/test), in a schema of its own.
//   npx tsx --tsconfig manager/tsconfig.json scripts/bench/cap-check.bench.ts
// (the manager's tsconfig: its entities need the legacy decorators)
import { loadavg } from 'node:os';
import type { DataSource } from 'typeorm';
import { isPostgres } from '../../manager/src/database/engine-sql';
import { AutoActionCaps, CAP_WINDOW_MS, type CapLimits } from '../../manager/src/playbooks/auto-action-caps';
import { AutoActionSlotEntity } from '../../manager/src/playbooks/auto-action-slot.entity';
import { AutoActionSlotRepository } from '../../manager/src/playbooks/auto-action-slot.repository';
import {
  postgresTestDatabase,
  postgresUnavailable,
  sqliteTestDatabase,
  type TestDatabase,
} from '../../manager/src/testing/test-databases.fixture';
import { percentile } from './lib/proc-usage';

const CHECKS = Number(process.env.WW_CHECKS ?? 2_000);
const STALE = Number(process.env.WW_STALE ?? 5_000);
const UNITS = 20;
const LIMITS: CapLimits = { perMinute: 30, perUnitPerMinute: 5 };
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  console.log(`load average at the start: ${load()}`);
  const engines: TestDatabase[] = [sqliteTestDatabase()];
  const pgProblem = await postgresUnavailable();
  if (pgProblem) console.log(`PostgreSQL skipped: ${pgProblem}`);
  else engines.push(postgresTestDatabase());
  for (const engine of engines) {
    const db = await engine.open();
    try {
      await bench(engine.kind, db);
    } finally {
      await db.destroy();
      await engine.dispose();
    }
  }
  console.log(`load average at the end: ${load()}`);
}

async function bench(kind: string, db: DataSource): Promise<void> {
  let now = Date.now();
  const slots = db.getRepository(AutoActionSlotEntity);
  for (let i = 0; i < STALE; i += 500)
    await slots.insert(
      Array.from({ length: Math.min(500, STALE - i) }, (_, k) => ({
        id: `stale-${i + k}`,
        unit: `unit-${(i + k) % UNITS}`,
        takenAt: now - CAP_WINDOW_MS - 1 - (i + k) * 1_000,
      })),
    );
  const repo = new AutoActionSlotRepository(db);
  console.log(`${kind}: ${STALE} stale slots; count plan: ${await countPlan(db, now - CAP_WINDOW_MS + 1)}`);

  for (const [phase, stepMs] of [
    ['room', CAP_WINDOW_MS / LIMITS.perMinute],
    ['full', 1],
  ] as const) {
    const caps = new AutoActionCaps(repo, LIMITS);
    const micros: number[] = [];
    const verdicts = new Map<string, number>();
    for (let i = 0; i < CHECKS; i++) {
      now += stepMs;
      const unit = i % 7 === 6 ? null : `unit-${i % UNITS}`; // some workstations have no unit
      const start = process.hrtime.bigint();
      const verdict = await caps.take(unit, now);
      micros.push(Number(process.hrtime.bigint() - start) / 1_000);
      const label = verdict.ok ? 'taken' : `refused (${verdict.cap})`;
      verdicts.set(label, (verdicts.get(label) ?? 0) + 1);
    }
    const said = [...verdicts].map(([label, n]) => `${n} ${label}`).join(', ');
    console.log(
      `${kind} ${phase}: ${CHECKS} checks, median ${percentile(micros, 50).toFixed(0)} µs, ` +
        `p99 ${percentile(micros, 99).toFixed(0)} µs per check; ${said}; ${await repo.count()} slots left`,
    );
  }
}

/** How the engine finds the window's slots: it must use idx_auto_action_slot_taken, not scan the table. */
async function countPlan(db: DataSource, sinceMs: number): Promise<string> {
  if (isPostgres(db)) {
    await db.query('ANALYZE auto_action_slot');
    const rows = await db.query<{ 'QUERY PLAN': string }[]>(
      'EXPLAIN SELECT COUNT(*) FROM auto_action_slot WHERE taken_at >= $1',
      [sinceMs],
    );
    return rows.map((r) => r['QUERY PLAN'].trim()).join(' | ');
  }
  const rows = await db.query<{ detail: string }[]>(
    'EXPLAIN QUERY PLAN SELECT COUNT(*) FROM auto_action_slot WHERE taken_at >= ?',
    [sinceMs],
  );
  return rows.map((r) => r.detail).join(' | ');
}

void main();
