// The overview's queries on a million stored events: inserts 1,000,000 events (batched
// multi-row INSERTs, 500 rows a statement, one transaction per 20 statements) spread
// over 30 days on 200 workstations in 12 units, with 20,000 alerts and 200,000 scored
// windows, into a database built by the manager's own migrations (so with its indexes),
// first SQLite, then PostgreSQL. Then it times every overview query (the repository's
// statements, and the whole GET /api/v1/overview answer through the service) for each
// range, and a risk trend, WW_REPEAT times each after two warm-up calls, and prints p50
// and p95 beside a plain `SELECT count(*) FROM event` timed the same way in the same run.
// PostgreSQL is ANALYZEd after the load (autovacuum would do it on its own); SQLite is
// left as the manager leaves it (no ANALYZE).
//   npx tsx --tsconfig manager/tsconfig.json scripts/bench/overview.bench.ts
// (the manager's tsconfig: its entities need the legacy decorators)
// Settings: WW_EVENTS (1,000,000), WW_REPEAT (15), WARDWATCH_TEST_PG_URL.
import { loadavg } from 'node:os';
import type { OverviewRange } from '@wardwatch/shared';
import type { DataSource } from 'typeorm';
import { AgentEntity } from '../../manager/src/agents/agent.entity';
import { AlertEntity } from '../../manager/src/alerts/alert.entity';
import { RiskScoreEntity } from '../../manager/src/alerts/risk-score.entity';
import { Clock } from '../../manager/src/common/clock';
import { placeholders } from '../../manager/src/database/engine-sql';
import { agentRow, alertRow, insertRows, scoreRow, tokenOf } from '../../manager/src/overview/overview-rows.fixture';
import { rangeOf } from '../../manager/src/overview/overview-shaping';
import { OverviewRepository } from '../../manager/src/overview/overview.repository';
import { OverviewService, TOP_N } from '../../manager/src/overview/overview.service';
import {
  postgresTestDatabase,
  sqliteTestDatabase,
  type TestDatabase,
} from '../../manager/src/testing/test-databases.fixture';
import { percentile } from './lib/proc-usage';

const EVENTS = Number(process.env.WW_EVENTS ?? 1_000_000);
const REPEAT = Number(process.env.WW_REPEAT ?? 15);
const ALERTS = 20_000;
const SCORES = 200_000;
const AGENTS = 200;
const USERS = 2_000;
const UNITS = 12;
const DAY = 86_400_000;
const SPAN = 30 * DAY;
const ROWS_PER_INSERT = 500;
const INSERTS_PER_TX = 20;
const NOW = Date.now();

/** Deterministic, so both engines get the same rows. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_COLUMNS = [
  'agent_id',
  'event_id',
  'sequence',
  'hostname',
  'time_ms',
  'received_ms',
  'severity',
  'user_name',
  'category',
  'action',
  'detail',
];

/** One event's values, in ALL_COLUMNS order: mostly file and process activity, 12 % logons (1 in 5 failed). */
function eventValues(n: number, next: () => number): unknown[] {
  const agent = Math.floor(next() * AGENTS);
  const time = NOW - Math.floor(next() * SPAN);
  const user = tokenOf('u', Math.floor(next() * USERS));
  const pick = next();
  let category: string;
  let action: string;
  let detail: Record<string, unknown>;
  if (pick < 0.45) {
    [category, action] = ['file', next() < 0.7 ? 'read' : 'write'];
    detail = { path: tokenOf('h', n % 50_000).replace('h_', 'p_'), extension: '.pdf', folderClass: 'phi' };
  } else if (pick < 0.75) {
    [category, action] = ['process', next() < 0.5 ? 'start' : 'stop'];
    detail = { executable: '/usr/bin/bash', pid: n % 30_000 };
  } else if (pick < 0.87) {
    category = 'login';
    action = next() < 0.2 ? 'failed_logon' : 'logon';
    const source = Math.floor(next() ** 3 * 500);
    detail = { action, sourceIp: tokenOf('ip', source), sourceHost: '', service: 'sshd' };
  } else if (pick < 0.97) {
    [category, action] = ['network', 'connect'];
    detail = { remoteAddress: tokenOf('ip', n % 5_000), remotePort: 443 };
  } else {
    [category, action] = ['device', 'mount'];
    detail = { serial: tokenOf('h', n % 100).replace('h_', 'd_') };
  }
  return [
    `agent-${agent}`,
    `e-${n}`,
    n,
    `ws-${agent}`,
    time,
    time,
    Math.floor(next() * 4),
    user,
    category,
    action,
    JSON.stringify(detail),
  ];
}

async function loadEvents(db: DataSource): Promise<number> {
  const next = random(1);
  const row = `(${ALL_COLUMNS.map(() => '?').join(', ')})`;
  const sql = placeholders(
    db,
    `INSERT INTO event (${ALL_COLUMNS.join(', ')}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')}`,
  );
  const started = performance.now();
  let n = 0;
  while (n < EVENTS) {
    await db.transaction(async (manager) => {
      for (let i = 0; i < INSERTS_PER_TX && n < EVENTS; i++) {
        const values: unknown[] = [];
        for (let r = 0; r < ROWS_PER_INSERT; r++) values.push(...eventValues(n++, next));
        await manager.query(sql, values);
      }
    });
  }
  return (performance.now() - started) / 1000;
}

async function loadRest(db: DataSource): Promise<void> {
  const next = random(2);
  await insertRows(
    db,
    AgentEntity,
    Array.from({ length: AGENTS }, (_, a) =>
      agentRow(`agent-${a}`, `ws-${a}`, a % 25 === 0 ? null : `unit-${a % UNITS}`),
    ),
  );
  const rules = [['brute-force'], ['ransomware-burst', 'mass-rename'], ['mass-copy-removable'], [], []];
  await insertRows(
    db,
    AlertEntity,
    Array.from({ length: ALERTS }, (_, i) =>
      alertRow({
        id: `alert-${i}`,
        agentId: `agent-${Math.floor(next() * AGENTS)}`,
        createdAt: NOW - Math.floor(next() * SPAN),
        severity: 3 + Math.floor(next() * 3),
        score: 60 + Math.floor(next() * 40),
        user: tokenOf('u', Math.floor(next() ** 2 * USERS)),
        ruleIds: rules[i % rules.length],
      }),
    ),
    500,
  );
  await insertRows(
    db,
    RiskScoreEntity,
    Array.from({ length: SCORES }, (_, i) =>
      scoreRow(
        `s-${i}`,
        `agent-${i % AGENTS}`,
        tokenOf('u', i % USERS),
        NOW - Math.floor(next() * SPAN),
        Math.round(next() * 100),
      ),
    ),
    500,
  );
}

async function timed(call: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await call();
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await call();
    ms.push(performance.now() - started);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

const fmt = (t: { p50: number; p95: number }) =>
  `p50 ${t.p50.toFixed(1).padStart(7)} ms  p95 ${t.p95.toFixed(1).padStart(7)} ms`;

async function bench(name: string, make: () => TestDatabase): Promise<void> {
  const database = make();
  const db = await database.open();
  try {
    const seconds = await loadEvents(db);
    await loadRest(db);
    if (name === 'postgres') await db.query('ANALYZE');
    console.log(
      `\n${name}: ${EVENTS.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds).toLocaleString('en')}/s), ${ALERTS} alerts, ${SCORES} scores; load ${loadavg()[0].toFixed(2)}`,
    );
    const repo = new OverviewRepository(db);
    const service = new OverviewService(repo, new Clock());
    console.log(`  ${'SELECT count(*) FROM event'.padEnd(36)} ${fmt(await timed(() => repo.countEvents()))}`);
    for (const range of ['24h', '7d', '30d'] satisfies OverviewRange[]) {
      const { bucketMs, ...r } = rangeOf(range, NOW);
      const queries: [string, () => Promise<unknown>][] = [
        ['alerts over time', () => repo.alertBuckets(r, bucketMs)],
        ['top users', () => repo.topUsers(r, TOP_N)],
        ['top workstations', () => repo.topWorkstations(r, TOP_N)],
        ['top sources (failed logons)', () => repo.topSources(r, TOP_N)],
        ['risk by unit', () => repo.riskByUnit(r, TOP_N)],
        ['events by category', () => repo.eventsByCategory(r)],
        ['ATT&CK rule sets', () => repo.ruleSets(r)],
        ['whole overview (service)', () => service.summary({ range })],
      ];
      console.log(`  range ${range}:`);
      for (const [label, call] of queries) console.log(`    ${label.padEnd(34)} ${fmt(await timed(call))}`);
    }
    console.log(
      `  ${'risk trend, one user (30 d)'.padEnd(36)} ${fmt(await timed(() => service.riskTrend({ kind: 'user', id: tokenOf('u', 7), days: 30, horizon: 7 })))}`,
    );
    console.log(
      `  ${'risk trend, one unit (30 d)'.padEnd(36)} ${fmt(await timed(() => service.riskTrend({ kind: 'unit', id: 'unit-3', days: 30, horizon: 7 })))}`,
    );
    console.log(`  ${'SELECT count(*) FROM event (again)'.padEnd(36)} ${fmt(await timed(() => repo.countEvents()))}`);
  } finally {
    await db.destroy();
    await database.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`overview bench: ${REPEAT} timed calls after 2 warm-up calls each; node ${process.version}`);
  await bench('sqlite', sqliteTestDatabase);
  await bench('postgres', postgresTestDatabase);
}

void main();
