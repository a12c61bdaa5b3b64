// End-to-end ingest: events per second from several simulated agents, each a real
// enrolled identity with its own key and certificate, through mutual-TLS gRPC Session
// streams into the real manager (built dist/, one process), through its screening,
// rate check, validation and dedupe, committed to SQLite and then to PostgreSQL; next
// to the raw insert rate of the same database, measured in the same run (plain
// multi-row INSERTs of the rows the manager stored, with the driver, the same rows per
// transaction), and the event-to-commit latency: from the moment an event is handed to
// its agent's client to the Ack of the batch that carried it (sent after commit).
//
// Each simulated agent sends as the real one does (agent/src/transport/): batches of at
// most 500 events, at most 8 unacknowledged. Two phases per engine:
//   saturated: every agent keeps its window full (an event is handed when its batch is
//              built), which gives the most the manager stores;
//   paced:     events are handed at half that rate, evenly, and sent every 200 ms (the
//              agent's outbox commits and releases events in groups that often) as the
//              window allows, which gives the latency of a manager that keeps up.
// The machine may be shared: the manager's CPU time is measured too, and events per
// manager CPU-second is the figure that load on other processes changes least.
// The agents' rate limit is raised for the bench (the default, 1,000 events/s per agent,
// would measure the limit, not the pipeline); everything else is the manager's default.
// Prints its figures and compares with nothing. About 90 s.
//   npm run bench:ingest     (= npx tsc -b && npx tsx scripts/bench/ingest.bench.ts)
// Settings: WW_AGENTS (8), WW_SECONDS per phase (15), WARDWATCH_TEST_PG_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { AgentServiceClient, Severity, type AgentMessage, type Event, type ManagerMessage } from '@wardwatch/proto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startManager } from '../lib/wardwatch';
import { enrollAgents, type SeededAgent } from './lib/seeded-agents';
import { mb, percentile, procUsage } from './lib/proc-usage';

const AGENTS = Number(process.env.WW_AGENTS ?? 8);
const SECONDS = Number(process.env.WW_SECONDS ?? 15);
const PG_URL = process.env.WARDWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The real agent's batch size and window (agent/src/transport/manager-session.ts). */
const BATCH = 500;
const WINDOW = 8;
/** High enough that the per-agent rate limit never decides (default 1,000/s, burst 10,000). */
const RATE_LIMIT = 10_000_000;
const TICK_MS = 20;
/** The agent's outbox group commit: events become sendable in groups this often. */
const FLUSH_MS = 200;

interface Engine {
  name: 'sqlite' | 'postgres';
  env: Record<string, string>;
  schema?: string;
}

/** One workstation's client: its own TLS connection, one Session stream, a window of batches. */
class SimulatedAgent {
  private readonly client: AgentServiceClient;
  private readonly call: ClientDuplexStream<AgentMessage, ManagerMessage>;
  /** Hand times of events waiting to be sent (FIFO from `head`). */
  private waiting: number[] = [];
  private head = 0;
  private readonly inFlight = new Map<number, number[]>();
  private sequence = 0;
  private made = 0;
  failure: string | undefined;
  acked = 0;
  latencies: number[] = [];

  constructor(
    address: string,
    caPem: string,
    private readonly agent: SeededAgent,
    private readonly index: number,
  ) {
    const tls = credentials.createSsl(
      Buffer.from(caPem),
      Buffer.from(agent.privateKeyPem),
      Buffer.from(agent.certificatePem),
    );
    // The agent's channel settings (agent/src/transport/grpc-clients.ts); a subchannel of its own.
    this.client = new AgentServiceClient(address, tls, {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.use_local_subchannel_pool': 1,
      // The server certificate names localhost and 127.0.0.1; TLS wants a host name to check.
      'grpc.ssl_target_name_override': 'localhost',
    });
    this.call = this.client.session();
    this.call.on('data', (message: ManagerMessage) => {
      if (message.body?.$case === 'ack') this.onAck(Number(message.body.value.sequence));
    });
    this.call.on('error', (error: Error) => (this.failure ??= error.message));
    this.call.on('end', () => (this.failure ??= 'the manager ended the stream'));
    this.call.write({
      body: {
        $case: 'hello',
        value: {
          commandKeyIds: [],
          agentVersion: '0.1.0',
          host: { hostname: agent.hostname, os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' },
          fleetModelVersion: '',
        },
      },
    });
  }

  get idle(): boolean {
    return this.inFlight.size === 0 && this.head === this.waiting.length;
  }

  /** Saturated: hands a batch's worth of events whenever the window has room, then sends. */
  fill(): void {
    while (!this.failure && this.inFlight.size < WINDOW) {
      this.hand(BATCH);
      this.send();
    }
  }

  hand(count: number): void {
    const now = performance.now();
    for (let i = 0; i < count; i++) this.waiting.push(now);
  }

  /** Sends what is waiting, up to BATCH per batch, while the window has room. */
  send(): void {
    while (!this.failure && this.inFlight.size < WINDOW && this.head < this.waiting.length) {
      const handed = this.waiting.slice(this.head, this.head + BATCH);
      this.head += handed.length;
      if (this.head > 100_000) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      this.sequence += 1;
      this.inFlight.set(this.sequence, handed);
      const now = Date.now();
      const events = handed.map(() => this.event(now));
      this.call.write({ body: { $case: 'events', value: { sequence: this.sequence, events, dropped: {} } } });
    }
  }

  private event(now: number): Event {
    const n = this.made++;
    return {
      id: `${this.index}-${n}`,
      timeMs: now,
      sequence: n,
      severity: Severity.SEVERITY_INFO,
      user: `u_${(n % 37).toString(16).padStart(16, '0')}`,
      detail: {
        $case: 'file',
        value: {
          action: 'write',
          path: `p_${(n % 97).toString(16).padStart(16, '0')}/f_${(n % 89).toString(16).padStart(16, '0')}.docx`,
          previousPath: '',
          folderClass: 'phi',
          extension: '.docx',
          depth: 4,
          sizeBytes: 4_096 + (n % 1_000),
          entropy: 4.2,
          owner: '',
          process: '/usr/lib/libreoffice/program/soffice.bin',
          pid: 4_242,
        },
      },
    };
  }

  private onAck(sequence: number): void {
    const now = performance.now();
    for (const [seq, handed] of this.inFlight) {
      if (seq > sequence) break;
      this.inFlight.delete(seq);
      this.acked += handed.length;
      for (const at of handed) this.latencies.push(now - at);
    }
  }

  close(): void {
    this.call.end();
    this.call.cancel();
    this.client.close();
  }
}

interface PhaseResult {
  events: number;
  seconds: number;
  p50: number;
  p99: number;
  managerCpu: number;
  managerCpuSeconds: number;
  agentsCpu: number;
  rss: number;
  failures: string[];
}

async function phase(
  agents: SimulatedAgent[],
  managerPid: number,
  seconds: number,
  step: (elapsedMs: number) => void,
): Promise<PhaseResult> {
  for (const a of agents) {
    a.acked = 0;
    a.latencies = [];
  }
  const cpu0 = procUsage(managerPid).cpuSeconds;
  const self0 = process.cpuUsage();
  const started = performance.now();
  let last = started;
  while (performance.now() - started < seconds * 1_000) {
    const now = performance.now();
    step(now - last);
    last = now;
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  // Stop handing; what was handed is still counted when its ack comes.
  const drainUntil = performance.now() + 60_000;
  while (agents.some((a) => !a.idle && !a.failure) && performance.now() < drainUntil) {
    for (const a of agents) a.send();
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const wall = (performance.now() - started) / 1_000;
  const self = process.cpuUsage(self0);
  const usage = procUsage(managerPid);
  const latencies = agents.flatMap((a) => a.latencies);
  return {
    events: agents.reduce((n, a) => n + a.acked, 0),
    seconds: wall,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    managerCpu: ((usage.cpuSeconds - cpu0) / wall) * 100,
    managerCpuSeconds: usage.cpuSeconds - cpu0,
    agentsCpu: ((self.user + self.system) / 1e6 / wall) * 100,
    rss: usage.rssBytes,
    failures: agents.flatMap((a) => (a.failure ? [a.failure] : [])),
  };
}

interface RawResult {
  perSecond: number;
  /** Events per CPU-second of this process (SQLite only: PostgreSQL's work is in its own server). */
  perCpuSecond: number | undefined;
}

/** Raw rate: the stored rows again, with new ids, in multi-row INSERTs of BATCH rows, one transaction each. */
async function rawInsertRate(engine: Engine, dataDir: string, total: number): Promise<RawResult> {
  if (engine.name === 'sqlite') {
    const db = new Database(join(dataDir, 'wardwatch.sqlite'));
    try {
      // The manager's connection settings (TypeORM's better-sqlite3 driver).
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const ddl = db
        .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'event' AND sql IS NOT NULL")
        .all();
      for (const { sql } of ddl)
        db.exec(sql.replace(/"event"/g, '"bench_raw_event"').replace(/INDEX "([^"]+)"/g, 'INDEX "bench_raw_$1"'));
      const sample = db.prepare<[number], Record<string, unknown>>('SELECT * FROM event LIMIT ?').all(BATCH);
      const columns = Object.keys(sample[0]);
      const row = `(${columns.map(() => '?').join(', ')})`;
      const insert = db.prepare(
        `INSERT INTO bench_raw_event (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${sample.map(() => row).join(', ')}`,
      );
      const batch = db.transaction((values: unknown[]) => insert.run(...values));
      let n = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      while (n < total) {
        const values = sample.flatMap((r) => columns.map((c) => (c === 'event_id' ? `raw-${n++}` : r[c])));
        batch(values);
      }
      const used = process.cpuUsage(cpu);
      return {
        perSecond: n / ((performance.now() - started) / 1_000),
        perCpuSecond: n / ((used.user + used.system) / 1e6),
      };
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: PG_URL, options: `-c search_path=${engine.schema}` });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_raw_event (LIKE event INCLUDING ALL)');
    const sample = (await client.query<Record<string, unknown>>('SELECT * FROM event LIMIT $1', [BATCH])).rows;
    const columns = Object.keys(sample[0]);
    let p = 0;
    const text =
      `INSERT INTO bench_raw_event (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ` +
      sample.map(() => `(${columns.map(() => `$${++p}`).join(', ')})`).join(', ');
    let n = 0;
    const started = performance.now();
    while (n < total) {
      const values = sample.flatMap((r) => columns.map((c) => (c === 'event_id' ? `raw-${n++}` : r[c])));
      await client.query('BEGIN');
      await client.query(text, values);
      await client.query('COMMIT');
    }
    return { perSecond: n / ((performance.now() - started) / 1_000), perCpuSecond: undefined };
  } finally {
    await client.end();
  }
}

async function storedRows(engine: Engine, dataDir: string): Promise<number> {
  if (engine.name === 'sqlite') {
    const db = new Database(join(dataDir, 'wardwatch.sqlite'), { readonly: true });
    try {
      return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM event').get()!.n;
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: PG_URL, options: `-c search_path=${engine.schema}` });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM event')).rows[0].n);
  } finally {
    await client.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function printPhase(name: string, r: PhaseResult): void {
  console.log(
    `  ${name.padEnd(9)} ${fmt(r.events / r.seconds).padStart(7)} events/s (${fmt(r.events)} in ${r.seconds.toFixed(1)} s)  ` +
      `event-to-commit p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms  ` +
      `manager CPU ${r.managerCpu.toFixed(0)} % (${fmt(r.events / r.managerCpuSeconds)} events per CPU-second), ` +
      `RSS ${mb(r.rss)} MB; agents' CPU ${r.agentsCpu.toFixed(0)} %` +
      (r.failures.length > 0 ? `  FAILED streams: ${r.failures.length} (${r.failures[0]})` : ''),
  );
}

async function run(engine: Engine): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `ww-ingest-bench-${engine.name}-`));
  const env: Record<string, string> = {
    ...engine.env,
    WARDWATCH_DATA_DIR: dataDir,
    WARDWATCH_HTTP_HOST: '127.0.0.1',
    WARDWATCH_GRPC_HOST: '127.0.0.1',
    WARDWATCH_ADMIN_PASSWORD: 'bench-admin-password-1234',
    WARDWATCH_AGENT_EVENTS_PER_SECOND: String(RATE_LIMIT),
    WARDWATCH_AGENT_EVENT_BURST: String(RATE_LIMIT),
  };
  const fleet = await enrollAgents(env, AGENTS);
  const manager = await startManager({ dataDir, env });
  const pid = manager.process.child.pid!;
  const address = `127.0.0.1:${manager.grpcPort}`;
  const agents = fleet.agents.map((a, i) => new SimulatedAgent(address, fleet.caPem, a, i));
  try {
    // Each stream's first batch waits for the TLS handshake and the identity check.
    for (const a of agents) a.fill();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const saturated = await phase(agents, pid, SECONDS, () => agents.forEach((a) => a.fill()));
    const rate = saturated.events / saturated.seconds / 2;
    let owed = 0;
    let sinceFlush = 0;
    const paced = await phase(agents, pid, SECONDS, (elapsedMs) => {
      owed += ((rate / agents.length) * elapsedMs) / 1_000;
      const whole = Math.floor(owed);
      owed -= whole;
      sinceFlush += elapsedMs;
      const flush = sinceFlush >= FLUSH_MS;
      if (flush) sinceFlush = 0;
      for (const a of agents) {
        a.hand(whole);
        if (flush) a.send();
      }
    });
    for (const a of agents) a.close();
    await manager.process.stop();
    const stored = await storedRows(engine, dataDir);
    const raw = await rawInsertRate(engine, dataDir, Math.max(20 * BATCH, saturated.events));
    console.log(`${engine.name}:`);
    printPhase('saturated', saturated);
    printPhase('paced', paced);
    const perCpu = raw.perCpuSecond;
    console.log(
      `  raw INSERT ${fmt(raw.perSecond).padStart(7)} events/s (the driver alone, ${BATCH} rows per transaction, same run` +
        `${perCpu ? `; ${fmt(perCpu)} events per CPU-second` : ''})`,
    );
    console.log(
      `  end-to-end / raw: ${((saturated.events / saturated.seconds / raw.perSecond) * 100).toFixed(0)} % of the raw rate` +
        (perCpu
          ? `; per CPU-second ${((saturated.events / saturated.managerCpuSeconds / perCpu) * 100).toFixed(0)} %`
          : ''),
    );
    console.log(`  rows stored ${fmt(stored)}, events acknowledged ${fmt(saturated.events + paced.events)}`);
  } finally {
    for (const a of agents) a.close();
    await manager.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresSchema(): Promise<string | undefined> {
  const client = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return `ww_bench_ingest_${process.pid}`;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  console.log(
    `ingest: ${AGENTS} agents, one mutual-TLS Session stream each, batches of ${BATCH}, ${WINDOW} in flight, ` +
      `${SECONDS} s per phase; agent rate limit raised to ${fmt(RATE_LIMIT)}/s; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  await run({ name: 'sqlite', env: {} });
  const schema = await postgresSchema();
  if (!schema) console.log(`postgres: ${PG_URL} unreachable, skipped`);
  else {
    try {
      await run({ name: 'postgres', env: { DATABASE_URL: PG_URL, WARDWATCH_DB_SCHEMA: schema }, schema });
    } finally {
      await dropSchema(schema);
    }
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
