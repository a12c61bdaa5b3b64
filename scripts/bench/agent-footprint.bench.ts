// The agent's footprint, measured from outside on the real processes: a real
// manager and a real agent (built dist/, `npx tsc -b` first) on this machine.
//   1. idle: RSS and CPU of the agent process over IDLE seconds (the baseline);
//   2. load: 1,000 file rewrites/s in a watched `phi` folder (100 folders of 100
//      files) plus 50 sshd logins/s appended to the tailed auth log, for LOAD
//      seconds: CPU (% of one core), RSS peak/average, end-to-end latency and loss;
//   3. budget under a flood: FLOOD seconds of 1,000 rewrites/s in an `other`
//      folder (low priority, budget 200/s) beside 100/s in the phi folder: every
//      phi event must arrive, and every low event the budget refused must be
//      counted the same at the agent (local API) and at the manager (the
//      `dropped` maps of the batches, from the manager's log);
//   4. the process collector's cost per poll on this machine's process table
//      (scripts/bench/process-collector.bench.ts, run as it is).
// Latency is from the write (file rewritten / log line appended) to the moment the
// manager received the event (`receivedMs` of GET /api/v1/events, stored in the
// same transaction). Loss is what was generated minus what the manager stored.
// Every event is matched to its cause: a file rewrite by its size (unique within
// ~10 s, sizes stay in clear), a login by its source port (in clear).
// CPU and RSS come from /proc/<agent pid>/stat and /status, so measuring costs the
// agent nothing.
//   npx tsc -b && npx tsx scripts/bench/agent-footprint.bench.ts
//   WW_IDLE_SECONDS=10 WW_LOAD_SECONDS=10 npx tsx scripts/bench/agent-footprint.bench.ts   (quick run)
//   WW_SCORING=off …            the same agent with live scoring switched off (what scoring costs)
//   WW_AGENT_CONFIG='{"processes":{"enabled":false}}' …   more agent config (top-level sections replaced), for attributing costs
//   WW_AGENT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' …   profile the agent
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type ServiceProcess } from '../lib/child-process';
import {
  agentEntry,
  createEnrollmentToken,
  managerEntry,
  repoRoot,
  startManager,
  type ManagerOptions,
} from '../lib/wardwatch';
import { paced } from './lib/paced';
import { mb, percentile, procUsage, rssSplit, UsageRecorder } from './lib/proc-usage';

const SCORING = process.env.WW_SCORING !== 'off';
const IDLE_SECONDS = Number(process.env.WW_IDLE_SECONDS ?? 60);
const LOAD_SECONDS = Number(process.env.WW_LOAD_SECONDS ?? 60);
const FLOOD_SECONDS = Number(process.env.WW_FLOOD_SECONDS ?? 10);
const FILE_RATE = 1_000;
const LOGIN_EVERY = 20; // one login line per 20 file writes: 50/s
const FILES = 10_000;
const SIZE_CYCLE = 9_973;
const ADMIN_PASSWORD = 'bench-admin-password-1234';
const payload = Buffer.alloc(200 + SIZE_CYCLE, 'ward round note ');

interface Op {
  at: number;
  matched: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function syslogTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${date.toISOString().slice(11, 19)}`;
}

async function main(): Promise<void> {
  for (const entry of [managerEntry, agentEntry]) readFileSync(entry); // built? (throws with the path if not)
  const root = mkdtempSync(join(tmpdir(), 'ww-footprint-'));
  const phi = join(root, 'patient-records');
  const scans = join(root, 'scans');
  mkdirSync(scans);
  for (let k = 0; k < 100; k++) writeFileSync(join(scans, `s${k}.bin`), payload.subarray(0, 100));
  const authLog = join(root, 'auth.log');
  for (let k = 0; k < FILES; k++) {
    if (k % 100 === 0) mkdirSync(join(phi, `ward-${k / 100}`), { recursive: true });
    writeFileSync(filePath(phi, k), payload.subarray(0, 100));
  }
  writeFileSync(authLog, '');

  const reportedDrops: Record<string, number> = {};
  const onManagerLine = (line: string) => {
    if (!line.includes('agent reported dropped events')) return;
    const dropped = (JSON.parse(line) as { dropped: Record<string, number> }).dropped;
    for (const [key, count] of Object.entries(dropped)) reportedDrops[key] = (reportedDrops[key] ?? 0) + Number(count);
  };
  const managerOptions: ManagerOptions = {
    dataDir: join(root, 'manager'),
    env: { WARDWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD, WARDWATCH_GRPC_HOST: '127.0.0.1' },
    onLine: onManagerLine,
  };
  const manager = await startManager(managerOptions);
  const agentDir = join(root, 'agent');
  let agent: ServiceProcess | null = null;
  const agentLines: string[] = [];
  try {
    const { token } = await createEnrollmentToken(managerOptions);
    mkdirSync(agentDir, { recursive: true });
    const config = {
      manager: { address: `127.0.0.1:${manager.grpcPort}`, caFingerprint: manager.caFingerprint },
      enrollment: { token },
      dataDir: agentDir,
      watch: {
        folders: [
          { path: phi, class: 'phi' },
          { path: scans, class: 'other' },
        ],
      },
      logins: { authLog, source: 'authlog' },
      localApi: { port: 0 },
      ...(SCORING ? {} : { scoring: { enabled: false } }),
      ...(process.env.WW_AGENT_CONFIG ? (JSON.parse(process.env.WW_AGENT_CONFIG) as Record<string, unknown>) : {}),
    };
    writeFileSync(join(agentDir, 'agent.yaml'), JSON.stringify(config, null, 2));
    const nodeArgs = process.env.WW_AGENT_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    agent = startService(
      'agent',
      process.execPath,
      [...nodeArgs, agentEntry, 'run', '--config', join(agentDir, 'agent.yaml')],
      { onLine: (line) => agentLines.push(line) },
    );
    await agent.waitForLog((line) => line.msg === 'agent connected', 60_000);
    const pid = agent.child.pid!;
    const api = localApi(agentDir);
    console.log(
      `agent footprint: node ${process.version}, ${hostname()}, ${FILES.toLocaleString('en-US')} files in the phi folder, idle ${IDLE_SECONDS} s, load ${LOAD_SECONDS} s, live scoring ${SCORING ? 'on (default)' : 'off'}\n`,
    );
    await sleep(5_000); // start-up settles (first process snapshot, first heartbeat)

    // 1. idle
    const idleUsage = new UsageRecorder(pid, 500);
    idleUsage.start();
    await sleep(IDLE_SECONDS * 1_000);
    const idle = idleUsage.stop();
    const idleSplit = { ...rssSplit(pid), peakBytes: procUsage(pid).peakRssBytes };

    // 2. load
    const fileOps = new Map<number, Op[]>(); // size → writes of that size, oldest first
    const loginOps = new Map<number, Op>(); // source port → line
    const loadUsage = new UsageRecorder(pid, 500);
    const startCollected = (await api.status()).counts.collected;
    loadUsage.start();
    const loadStart = Date.now();
    let logins = 0;
    const written = await paced(FILE_RATE, LOAD_SECONDS, (i) => {
      const size = 200 + (i % SIZE_CYCLE);
      writeFileSync(filePath(phi, (i * 7_919) % FILES), payload.subarray(0, size));
      const list = fileOps.get(size) ?? [];
      list.push({ at: Date.now(), matched: false });
      fileOps.set(size, list);
      if (i % LOGIN_EVERY === 0) {
        const port = 1_024 + logins++;
        appendFileSync(
          authLog,
          `${syslogTime(new Date())} ${hostname()} sshd[${4_000 + (port % 1_000)}]: Accepted password for nurse${port % 40} from 10.1.${port % 250}.${(port >> 8) % 250} port ${port} ssh2\n`,
        );
        loginOps.set(port, { at: Date.now(), matched: false });
      }
    });
    const load = loadUsage.stop();
    const loadWallSeconds = (Date.now() - loadStart) / 1_000;

    // Drain: until the agent has had nothing queued for 2 s (checked from 1 s after the load, max 60 s).
    const drainUsage = new UsageRecorder(pid, 500);
    drainUsage.start();
    const drainStart = Date.now();
    await sleep(1_000);
    let emptySince: number | null = null;
    while (Date.now() - drainStart < 60_000) {
      const queued = (await api.status()).counts.queued;
      emptySince = queued > 0 ? null : (emptySince ?? Date.now());
      if (emptySince !== null && Date.now() - emptySince >= 2_000) break;
      await sleep(200);
    }
    const drain = drainUsage.stop();
    const status = await api.status();

    // 3. flood of low-value events beside patient-data ones
    const floodStart = Date.now();
    const dropsBefore = status.counts.dropped;
    let phiFlood = 0;
    const scansWritten = await paced(FILE_RATE, FLOOD_SECONDS, (i) => {
      writeFileSync(join(scans, `s${i % 100}.bin`), payload.subarray(0, 200 + (i % SIZE_CYCLE)));
      if (i % 10 === 0)
        writeFileSync(filePath(phi, (phiFlood++ * 7_919) % FILES), payload.subarray(0, 100 + (phiFlood % 50)));
    });
    await sleep(3_000);
    const floodStatus = await api.status();
    await sleep(6_000); // a heartbeat's worth: the last batch's drop counts reach the manager

    // What the manager stored, matched to what was generated.
    const allEvents = await fetchEvents(manager.httpUrl, loadStart);
    const flooded = allEvents.filter((e) => e.category === 'file' && e.timeMs >= floodStart);
    const floodStored = {
      phi: flooded.filter((e) => e.detail.folderClass === 'phi').length,
      other: flooded.filter((e) => e.detail.folderClass === 'other').length,
    };
    const events = allEvents.filter((e) => e.timeMs < floodStart);
    const latencies = { file: [] as number[], login: [] as number[] };
    let unmatched = 0;
    for (const event of events.sort((a, b) => a.receivedMs - b.receivedMs)) {
      if (event.category === 'file') {
        const op = fileOps.get(Number(event.detail.sizeBytes))?.find((o) => !o.matched && o.at <= event.receivedMs);
        if (op) {
          op.matched = true;
          latencies.file.push(event.receivedMs - op.at);
        } else unmatched += 1;
      } else if (event.category === 'login') {
        const op = loginOps.get(Number(event.detail.sourcePort));
        if (op && !op.matched) {
          op.matched = true;
          latencies.login.push(event.receivedMs - op.at);
        } else unmatched += 1;
      }
    }
    const fileLost = written - latencies.file.length;
    const loginLost = logins - latencies.login.length;

    // 4. process collector, as its own benchmark prints it
    const processBench = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'scripts', 'bench', 'process-collector.bench.ts'), '30'],
      { encoding: 'utf8', cwd: repoRoot },
    );

    const throttles = agentLines
      .filter((l) => l.includes('"agent throttling') || l.includes('"agent recovered'))
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    const all = [...latencies.file, ...latencies.login];
    const pct = (n: number) => `${n.toFixed(2)} %`;
    console.log('phase                      CPU % core   avg RSS MB   peak RSS MB');
    console.log(
      `idle (${IDLE_SECONDS} s, baseline)`.padEnd(26),
      pct(idle.cpuPercent).padStart(11),
      mb(idle.avgRssBytes).padStart(12),
      mb(idle.peakRssBytes).padStart(13),
    );
    console.log(
      `load (${LOAD_SECONDS} s)`.padEnd(26),
      pct(load.cpuPercent).padStart(11),
      mb(load.avgRssBytes).padStart(12),
      mb(load.peakRssBytes).padStart(13),
    );
    console.log(
      `drain after load (${drain.wallSeconds.toFixed(1)} s)`.padEnd(26),
      pct(drain.cpuPercent).padStart(11),
      mb(drain.avgRssBytes).padStart(12),
      mb(drain.peakRssBytes).padStart(13),
    );
    const workPerLoadSecond =
      ((load.cpuSeconds + drain.cpuSeconds - (idle.cpuPercent / 100) * drain.wallSeconds) / loadWallSeconds) * 100;
    console.log(
      `\nload CPU including the drain's extra work: ${pct(workPerLoadSecond)} of a core (${(load.cpuPercent / Math.max(idle.cpuPercent, 0.01)).toFixed(0)}x idle)`,
    );
    console.log(
      `generated: ${written} file rewrites (${(written / loadWallSeconds).toFixed(0)}/s), ${logins} logins (${(logins / loadWallSeconds).toFixed(1)}/s); collected by the agent: ${status.counts.collected - startCollected}`,
    );
    console.log(
      `stored at the manager: ${latencies.file.length} file, ${latencies.login.length} login; lost: ${fileLost} file, ${loginLost} login; other events stored: ${unmatched}`,
    );
    console.log(
      `latency write → manager: all p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms; file p50 ${percentile(latencies.file, 50).toFixed(0)} / p99 ${percentile(latencies.file, 99).toFixed(0)} ms; login p50 ${percentile(latencies.login, 50).toFixed(0)} / p99 ${percentile(latencies.login, 99).toFixed(0)} ms`,
    );
    console.log(
      `agent drops: ${status.counts.dropped} ${JSON.stringify(status.counts.droppedByReason ?? {})}; watchdog: ${throttles.length === 0 ? 'never throttled' : throttles.join(' | ')}`,
    );
    const agentFloodDrops = floodStatus.counts.dropped - dropsBefore;
    const managerDrops = Object.values(reportedDrops).reduce((a, b) => a + b, 0);
    console.log(
      `\nflood (${FLOOD_SECONDS} s): ${scansWritten} rewrites in an 'other' folder (low, budget 200/s) + ${phiFlood} in the phi folder`,
    );
    console.log(
      `  stored at the manager: phi ${floodStored.phi}/${phiFlood}, other ${floodStored.other}/${scansWritten}; dropped per the agent ${agentFloodDrops} ${JSON.stringify(floodStatus.counts.droppedByReason ?? {})}, per the manager's batches ${managerDrops} ${JSON.stringify(reportedDrops)}`,
    );
    console.log(
      `  accounted for: other stored + dropped = ${floodStored.other + agentFloodDrops} of ${scansWritten} (the rest are rewrites merged within ${50} ms settling)`,
    );
    console.log(
      `agent RSS now ${mb(procUsage(pid).rssBytes)} MB, peak since start (VmHWM) ${mb(procUsage(pid).peakRssBytes)} MB`,
    );
    console.log(
      `\n${processBench.stdout.trim()}${processBench.status === 0 ? '' : `\n(process bench failed: ${processBench.stderr.trim().split('\n').slice(-3).join(' ')})`}`,
    );

    console.log(
      `\nidle RSS: ${mb(idle.firstRssBytes)} MB at the start of the idle phase, ${mb(idle.lastRssBytes)} MB at its end (peak since the agent started: ${mb(idleSplit.peakBytes)} MB)`,
    );
    console.log(
      `where idle RSS goes: at the end of the idle phase ${mb(idleSplit.anonBytes)} MB anonymous (heaps) + ${mb(idleSplit.fileBytes)} MB file-backed (node binary, libraries: shared with other node processes)`,
    );
    console.log(`a bare node process after requiring what the agent loads (MB):\n  ${moduleRss()}`);

    const checks = [
      [`idle RSS ≤ 80 MB, averaged over the phase (${mb(idle.avgRssBytes)} MB)`, idle.avgRssBytes <= 80 * 1_048_576],
      [`idle RSS ≤ 80 MB at every sample (peak ${mb(idle.peakRssBytes)} MB)`, idle.peakRssBytes <= 80 * 1_048_576],
      [`idle CPU ≤ 1 % of a core (${pct(idle.cpuPercent)})`, idle.cpuPercent <= 1],
      [
        `load CPU ≤ 25 % of a core (${pct(load.cpuPercent)} during, ${pct(workPerLoadSecond)} with drain)`,
        workPerLoadSecond <= 25,
      ],
      [`nothing lost (${fileLost + loginLost})`, fileLost + loginLost === 0],
      [
        `flood: every phi event stored (${floodStored.phi}/${phiFlood}), drops counted alike at agent and manager (${agentFloodDrops} / ${managerDrops})`,
        floodStored.phi === phiFlood && agentFloodDrops === managerDrops,
      ],
    ] as const;
    console.log('\ntargets:');
    for (const [what, met] of checks) console.log(`  ${met ? 'met    ' : 'NOT met'}  ${what}`);
  } finally {
    await agent?.stop();
    // The drop log line is written every 30 s and once more at shutdown.
    const dropLines = agentLines.filter((l) => l.includes('"msg":"events dropped"'));
    if (dropLines.length > 0) console.log(`\nthe agent's drop log lines:\n  ${dropLines.join('\n  ')}`);
    await manager.process.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** RSS of a fresh node process after each require, as the agent's start-up loads them. */
function moduleRss(): string {
  const steps: [string, string][] = [
    ['node', ''],
    ['@grpc/grpc-js', "require('@grpc/grpc-js')"],
    ['zod + shared + proto', "require('zod'); require('@wardwatch/shared'); require('@wardwatch/proto')"],
    ['systeminformation', "require('systeminformation')"],
    ['collectors', `require(${JSON.stringify(join(repoRoot, 'agent/dist/collectors/registry.js'))})`],
    ['whole agent runtime', `require(${JSON.stringify(join(repoRoot, 'agent/dist/runtime/run-agent.js'))})`],
    ['+ @tensorflow/tfjs (only while a model trains, in a worker)', "require('@tensorflow/tfjs')"],
  ];
  const script = `const out = []; ${steps.map(([name, code]) => `${code}; global.gc(); out.push(${JSON.stringify(name)} + ' ' + (process.memoryUsage.rss() / 1048576).toFixed(1));`).join(' ')} console.log(out.join(' → '));`;
  const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], {
    cwd: join(repoRoot, 'agent'),
    encoding: 'utf8',
  });
  return run.status === 0 ? run.stdout.trim() : `(failed: ${run.stderr.trim().split('\n').slice(-1)[0]})`;
}

function filePath(phi: string, k: number): string {
  return join(phi, `ward-${Math.floor(k / 100)}`, `f${k % 100}.txt`);
}

interface Status {
  counts: {
    collected: number;
    sent: number;
    queued: number;
    dropped: number;
    droppedByReason?: Record<string, number>;
  };
}

function localApi(dataDir: string) {
  const token = readFileSync(join(dataDir, 'local-api.token'), 'utf8').trim();
  const { port } = JSON.parse(readFileSync(join(dataDir, 'local-api.json'), 'utf8')) as { port: number };
  return {
    status: async (): Promise<Status> => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await response.json()) as Status;
    },
  };
}

interface StoredEvent {
  category: string;
  timeMs: number;
  receivedMs: number;
  detail: Record<string, unknown>;
}

async function fetchEvents(httpUrl: string, fromMs: number): Promise<StoredEvent[]> {
  const login = await fetch(`${httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const events: StoredEvent[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '500', fromMs: String(fromMs - 60_000), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${httpUrl}/api/v1/events?${query.toString()}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET /api/v1/events: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: StoredEvent[]; nextCursor?: string };
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
