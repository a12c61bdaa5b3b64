// How many idle agents one manager process holds: concurrent Session streams with
// heartbeats only, ramped in steps (1k, 2k, 5k, 10k, 20k by default). Every stream is
// a distinct enrolled agent (one live session per agent: a second stream of the same
// agent would replace the first), with its own key and CA-signed certificate, on its
// own TLS connection; the agents are seeded through the manager's own services and CA
// before it starts (lib/seeded-agents.ts) and the clients are spread over child
// processes (lib/heartbeat-agents.child.ts), each heartbeating every 30 s (the agent's
// default). The manager is the real one (built dist/, embedded SQLite, defaults).
//
// At each step, once every new stream is up (its first empty batch acknowledged), the
// streams are held for WW_HOLD_SECONDS (35: every stream heartbeats at least once) and
// it prints: streams held, manager RSS and CPU over the hold, heartbeat round trip
// (p50/p99, measured on every 10th agent: heartbeat then an empty batch, to its Ack) and
// failures. It stops early, saying why, when a step loses streams or the manager dies.
//   npm run bench:streams     (= npx tsc -b && npx tsx scripts/bench/streams.bench.ts)
// Settings: WW_STEPS (1000,2000,5000,10000,20000), WW_CHILDREN (4), WW_HOLD_SECONDS (35),
// WW_STEP_SECONDS (600: the most a step may take to bring its new streams up).
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManager } from '../lib/wardwatch';
import type { HolderCommand, HolderReply, HolderSample } from './lib/heartbeat-agents.child';
import { mb, percentile, procUsage } from './lib/proc-usage';
import { seedAgents } from './lib/seeded-agents';

const STEPS = (process.env.WW_STEPS ?? '1000,2000,5000,10000,20000').split(',').map(Number);
const CHILDREN = Number(process.env.WW_CHILDREN ?? 4);
const HOLD_SECONDS = Number(process.env.WW_HOLD_SECONDS ?? 35);
const HEARTBEAT_MS = 30_000;
const PROBE_EVERY = 10;
const OPEN_CONCURRENCY = 50;
const OPEN_TIMEOUT_MS = 120_000;
/** Streams lost in a step (never up, or up and ended) above which the ramp stops. */
const MAX_LOSS = 0.01;
/** A step whose streams are not all up within this time ends the ramp. */
const STEP_SECONDS = Number(process.env.WW_STEP_SECONDS ?? 600);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function openFileLimit(pid: number | 'self'): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s{2,}/).slice(1, 3);
  const value = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: value(soft), hard: value(hard) };
}

/** Raises a running process's open-file limit with prlimit(1) (raising the hard limit needs root); says what it did. */
function raiseFileLimit(pid: number, wanted: number, who: string): string {
  const before = openFileLimit(pid);
  if (before.soft >= wanted) return `${who}: open files ${before.soft}`;
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${wanted}:${Math.max(wanted, before.hard)}`], {
      stdio: 'ignore',
    });
  } catch {
    try {
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${Math.min(wanted, before.hard)}:${before.hard}`], {
        stdio: 'ignore',
      });
    } catch {
      // Left as it is; the figures will show where it ran out.
    }
  }
  const after = openFileLimit(pid);
  return `${who}: open files ${before.soft} -> ${after.soft}${after.soft < wanted ? ` (wanted ${wanted}; not permitted here)` : ''}`;
}

/** One client process; its answers are matched to the asks by kind, in order. */
class Holder {
  private readonly waiters: Record<HolderReply['type'], ((reply: HolderReply) => void)[]> = { opened: [], sample: [] };
  private exited: Error | undefined;

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: HolderReply) => this.waiters[reply.type].shift()?.(reply));
    child.once('exit', (code) => (this.exited = new Error(`a client process exited (${code})`)));
  }

  ask(command: HolderCommand & { type: 'open' | 'sample' }): Promise<HolderReply> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve) => {
      this.waiters[command.type === 'open' ? 'opened' : 'sample'].push(resolve);
      this.child.send(command);
    });
  }

  tell(command: HolderCommand): void {
    if (this.child.connected) this.child.send(command);
  }
}

async function main(): Promise<void> {
  const max = Math.max(...STEPS);
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-streams-bench-'));
  const env: Record<string, string> = {
    WARDWATCH_DATA_DIR: dataDir,
    WARDWATCH_HTTP_HOST: '127.0.0.1',
    WARDWATCH_GRPC_HOST: '127.0.0.1',
    WARDWATCH_ADMIN_PASSWORD: 'bench-admin-password-1234',
  };
  const ports = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  console.log(
    `streams: steps ${STEPS.join(', ')}; ${CHILDREN} client processes; heartbeat every ${HEARTBEAT_MS / 1_000} s; ` +
      `hold ${HOLD_SECONDS} s per step; load average ${load()}`,
  );
  console.log(
    `limits: this shell's open files ${openFileLimit('self').soft} (hard ${openFileLimit('self').hard}); ` +
      `ephemeral ports ${ports[0]}-${ports[1]} (${fmt(ports[1] - ports[0] + 1)} per destination address)`,
  );

  const seedStart = performance.now();
  const fleet = await seedAgents(env, max);
  console.log(
    `seeded ${fmt(max)} agents (own key, CA-signed certificate, agent row) in ${((performance.now() - seedStart) / 1_000).toFixed(1)} s`,
  );
  // Agent i goes to child i % CHILDREN, so every step spreads over all of them.
  for (let c = 0; c < CHILDREN; c++) {
    const mine = fleet.agents.flatMap((agent, index) => (index % CHILDREN === c ? [{ index, agent }] : []));
    writeFileSync(join(dataDir, `agents-${c}.json`), JSON.stringify(mine), { mode: 0o600 });
  }

  const manager = await startManager({ dataDir, env });
  const pid = manager.process.child.pid!;
  const holders: Holder[] = [];
  try {
    const limits = [raiseFileLimit(pid, max + 1_024, 'manager')];
    for (let c = 0; c < CHILDREN; c++) {
      const child = fork(join(__dirname, 'lib', 'heartbeat-agents.child.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      holders.push(new Holder(child));
      limits.push(raiseFileLimit(child.pid!, Math.ceil(max / CHILDREN) + 1_024, `client ${c}`));
      holders[c].tell({
        type: 'init',
        address: `127.0.0.1:${manager.grpcPort}`,
        caPem: fleet.caPem,
        agentsFile: join(dataDir, `agents-${c}.json`),
        heartbeatMs: HEARTBEAT_MS,
        probeEvery: PROBE_EVERY,
        openConcurrency: OPEN_CONCURRENCY,
        openTimeoutMs: OPEN_TIMEOUT_MS,
      });
    }
    console.log(`limits raised: ${limits.join('; ')}`);
    console.log(`manager at start: RSS ${mb(procUsage(pid).rssBytes)} MB`);

    let lost = 0;
    let before = 0;
    for (const target of STEPS) {
      const openStart = performance.now();
      const cpuOpen = procUsage(pid).cpuSeconds;
      const opened = await Promise.race([
        Promise.all(holders.map((h) => h.ask({ type: 'open', upTo: target }))).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), STEP_SECONDS * 1_000)),
      ]);
      const openSeconds = (performance.now() - openStart) / 1_000;
      const openCpu = ((procUsage(pid).cpuSeconds - cpuOpen) / openSeconds) * 100;
      if (!opened) {
        const now = (await Promise.all(holders.map((h) => h.ask({ type: 'sample' })))) as HolderSample[];
        const up = now.reduce((n, s) => n + s.held, 0);
        console.log(
          `step ${fmt(target).padStart(6)}: only ${fmt(up)} streams up after ${STEP_SECONDS} s ` +
            `(${((up - before) / openSeconds).toFixed(1)} new streams/s, manager CPU ${openCpu.toFixed(0)} % while opening, ` +
            `RSS ${mb(procUsage(pid).rssBytes)} MB, failures ${now.reduce((n, s) => n + s.failedToOpen + s.dropped, 0) - lost}, ` +
            `load ${load()}); stopped: the step's time is up (WW_STEP_SECONDS)`,
        );
        break;
      }
      // Round trips so far belong to the opening; the hold's start here.
      await Promise.all(holders.map((h) => h.ask({ type: 'sample' })));
      const cpu0 = procUsage(pid).cpuSeconds;
      const holdStart = performance.now();
      let peak = 0;
      while (performance.now() - holdStart < HOLD_SECONDS * 1_000 && manager.process.child.exitCode === null) {
        peak = Math.max(peak, procUsage(pid).rssBytes);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      if (manager.process.child.exitCode !== null) {
        console.log(`step ${fmt(target)}: the manager exited (${manager.process.child.exitCode}); stopped`);
        break;
      }
      const holdSeconds = (performance.now() - holdStart) / 1_000;
      const usage = procUsage(pid);
      const samples = (await Promise.all(holders.map((h) => h.ask({ type: 'sample' })))) as HolderSample[];
      const held = samples.reduce((n, s) => n + s.held, 0);
      const failed = samples.reduce((n, s) => n + s.failedToOpen + s.dropped, 0);
      const trips = samples.flatMap((s) => s.roundTrips);
      const reasons = [...new Set(samples.flatMap((s) => s.reasons))].slice(0, 3);
      console.log(
        `step ${fmt(target).padStart(6)}: held ${fmt(held).padStart(6)} (opened in ${openSeconds.toFixed(1)} s, ` +
          `${((target - before) / openSeconds).toFixed(1)} new streams/s, ` +
          `manager CPU ${openCpu.toFixed(0)} % while opening) | hold ${holdSeconds.toFixed(0)} s: manager RSS ` +
          `${mb(usage.rssBytes)} MB (peak ${mb(Math.max(peak, usage.rssBytes))} MB), CPU ${(((usage.cpuSeconds - cpu0) / holdSeconds) * 100).toFixed(0)} % | ` +
          `heartbeat round trip p50 ${percentile(trips, 50).toFixed(1)} ms, p99 ${percentile(trips, 99).toFixed(1)} ms ` +
          `(n=${trips.length}) | failures ${failed - lost}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''} | ` +
          `clients' RSS ${mb(samples.reduce((n, s) => n + s.rssBytes, 0))} MB | load ${load()}`,
      );
      if (failed - lost > target * MAX_LOSS) {
        console.log(`stopped at step ${fmt(target)}: ${fmt(failed - lost)} streams lost in this step`);
        break;
      }
      lost = failed;
      before = target;
    }
  } finally {
    for (const h of holders) h.tell({ type: 'stop' });
    await manager.process.stop(15_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
