// The agent's footprint, measured from outside on the real processes: a real
// manager and a real agent (built dist/, `npx tsc -b` first) on this machine,
// started fresh for every run, RUNS times for each size of the watched `phi`
// folder (10,000 and 100,000 files by default, in folders of 100); it prints
// every run and then the spread (min / median / max), never only the best run.
//   0. warm-up: the first WARMUP seconds after the agent connected (start-up;
//      their RSS peak is printed, the targets apply from then on);
//   1. idle: RSS and CPU of the agent process over IDLE seconds (the baseline),
//      with where the RSS is (malloc heap vs other anonymous memory, from smaps);
//   2. load: 1,000 file rewrites/s in the watched `phi` folder plus 50 sshd
//      logins/s appended to the tailed auth log, for LOAD
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
// A machine shared with other work slows the writer (fewer than 1,000 writes/s)
// and the agent's CPU time; each run prints the load average next to it.
//   npx tsc -b && npx tsx scripts/bench/agent-footprint.bench.ts     (3 runs × 10,000 and 100,000 files, ~40 min)
//   WW_RUNS=5 WW_FILES=10000 …   five runs, one size (WW_FILES: comma-separated sizes)
//   WW_WARMUP_SECONDS=10 WW_IDLE_SECONDS=10 WW_LOAD_SECONDS=10 WW_RUNS=1 …   (quick run)
//   WW_MEMORY_PROBE=1 …          diagnostic: the agent logs its V8 heap spaces, external and
//                                ArrayBuffer memory each second (lib/memory-probe.mjs); costs it CPU
//   WW_LOAD_RATE=250 …          the load phase at 250 rewrites/s (logins stay 1 per 20): compare two builds at
//                                a pace a busy machine holds (the targets are for 1,000/s)
//   WW_SCORING=off …            the same agent with live scoring switched off (what scoring costs)
//   WW_PSEUDONYM_MODE=local-key …   the site's pseudonym mode (WARDWATCH_PSEUDONYM_MODE of the new site);
//                                unset: the manager's default (oprf), which each run prints
//   WW_AGENT_CONFIG='{"processes":{"enabled":false}}' …   more agent config (top-level sections replaced), for attributing costs
//   WW_AGENT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' …   profile the agent
//   WW_AGENT_LOG=/tmp/agent.log …   every line the agent prints (its log, V8's traces) appended to that file
//   WW_AGENT_NODE_ARGS="--require $PWD/scripts/bench/lib/cpu-profile-hook.cjs" WW_PROFILE_START_S=55 …
//                                profile one window (e.g. the load phase) with per-thread CPU (see the hook)
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
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
import { mb, percentile, procUsage, rssSplit, threadCpu, threadCpuSince, UsageRecorder } from './lib/proc-usage';

const SCORING = process.env.WW_SCORING !== 'off';
const AGENT_LOG = process.env.WW_AGENT_LOG;
/** Unset: the new site gets the manager's default mode. */
const PSEUDONYM_MODE = process.env.WW_PSEUDONYM_MODE;
const RUNS = Number(process.env.WW_RUNS ?? 3);
const FILE_COUNTS = (process.env.WW_FILES ?? '10000,100000').split(',').map(Number);
const WARMUP_SECONDS = Number(process.env.WW_WARMUP_SECONDS ?? 60);
const MEMORY_PROBE = process.env.WW_MEMORY_PROBE === '1';
const IDLE_SECONDS = Number(process.env.WW_IDLE_SECONDS ?? 60);
const LOAD_SECONDS = Number(process.env.WW_LOAD_SECONDS ?? 60);
const FLOOD_SECONDS = Number(process.env.WW_FLOOD_SECONDS ?? 10);
const FILE_RATE = 1_000;
// A lower load rate that a busy machine can hold, to compare builds at the same pace (CPU per event grows as the pace drops).
const LOAD_RATE = Number(process.env.WW_LOAD_RATE ?? FILE_RATE);
const LOGIN_EVERY = 20; // one login line per 20 file writes: 50/s
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

interface RunResult {
  files: number;
  run: number;
  loadAverage: string;
  warmupPeakRssBytes: number;
  idle: { avgRssBytes: number; peakRssBytes: number; firstRssBytes: number; lastRssBytes: number; cpuPercent: number };
  idleMallocHeapBytes: number;
  idleOtherAnonBytes: number;
  idleFileBytes: number;
  loadCpuPercent: number;
  loadWithDrainCpuPercent: number;
  /** Agent CPU per collected event over load + drain, less the idle rate: robust to a busy machine's pace. */
  cpuMicrosPerEvent: number;
  loadRate: number;
  loadPeakRssBytes: number;
  lost: number;
  floodOk: boolean;
  probe?: string;
}

async function main(): Promise<void> {
  for (const entry of [managerEntry, agentEntry]) readFileSync(entry); // built? (throws with the path if not)
  console.log(
    `agent footprint: node ${process.version}, ${hostname()}, ${RUNS} run(s) × ${FILE_COUNTS.map((n) => n.toLocaleString('en-US')).join(' and ')} files in the phi folder; warm-up ${WARMUP_SECONDS} s, idle ${IDLE_SECONDS} s, load ${LOAD_SECONDS} s; live scoring ${SCORING ? 'on (default)' : 'off'}; pseudonym mode ${PSEUDONYM_MODE ?? "the manager's default"}${MEMORY_PROBE ? '; MEMORY PROBE ON (diagnostic, not the footprint)' : ''}\n`,
  );
  const results: RunResult[] = [];
  for (const files of FILE_COUNTS) {
    for (let run = 1; run <= RUNS; run++) {
      console.log(
        `--- ${files.toLocaleString('en-US')} files, run ${run} of ${RUNS} (load average before: ${loadAverage()})`,
      );
      results.push(await runOnce(files, run));
    }
  }
  printSpread(results);
  printProcessCollectorBench();
  console.log(`\na bare node process after requiring what the agent loads (MB):\n  ${moduleRss()}`);
}

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

async function runOnce(FILES: number, run: number): Promise<RunResult> {
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
    // The new site's mode, as the manager recorded it (WW_PSEUDONYM_MODE, else its default).
    if (line.includes('pseudonym mode recorded'))
      console.log(`pseudonym mode: ${String((JSON.parse(line) as { mode?: unknown }).mode)}`);
    if (!line.includes('agent reported dropped events')) return;
    // The manager logs the map bounded: { entries, omitted }.
    const logged = (JSON.parse(line) as { dropped: { entries?: Record<string, string> } & Record<string, unknown> })
      .dropped;
    for (const [key, count] of Object.entries(logged.entries ?? logged))
      reportedDrops[key] = (reportedDrops[key] ?? 0) + Number(count);
  };
  const managerOptions: ManagerOptions = {
    dataDir: join(root, 'manager'),
    env: {
      WARDWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // The bench signs in over the API with a password alone.
      WARDWATCH_MFA_REQUIRED_ROLES: 'none',
      WARDWATCH_GRPC_HOST: '127.0.0.1',
      ...(PSEUDONYM_MODE ? { WARDWATCH_PSEUDONYM_MODE: PSEUDONYM_MODE } : {}),
    },
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
    const probeFile = join(root, 'memory-probe.jsonl');
    if (MEMORY_PROBE) nodeArgs.unshift('--import', join(repoRoot, 'scripts', 'bench', 'lib', 'memory-probe.mjs'));
    agent = startService(
      'agent',
      process.execPath,
      [...nodeArgs, agentEntry, 'run', '--config', join(agentDir, 'agent.yaml')],
      {
        onLine: (line) => {
          agentLines.push(line);
          if (AGENT_LOG) appendFileSync(AGENT_LOG, `${line}\n`);
        },
        env: MEMORY_PROBE ? { WW_MEMORY_PROBE_FILE: probeFile } : {},
      },
    );
    await agent.waitForLog((line) => line.msg === 'agent connected', 60_000);
    const pid = agent.child.pid!;
    const api = localApi(agentDir);

    // 0. warm-up: start-up settles (first process snapshot, first heartbeats, V8 gives back the start-up heap)
    const warmupUsage = new UsageRecorder(pid, 500);
    warmupUsage.start();
    await sleep(WARMUP_SECONDS * 1_000);
    const warmup = warmupUsage.stop();

    // 1. idle
    const idleUsage = new UsageRecorder(pid, 500);
    idleUsage.start();
    await sleep(IDLE_SECONDS * 1_000);
    const idle = idleUsage.stop();
    const idleSplit = { ...rssSplit(pid), peakBytes: procUsage(pid).peakRssBytes, mallocHeapBytes: mallocHeap(pid) };
    const probe = MEMORY_PROBE ? probeSummary(probeFile) : undefined;

    // 2. load
    const fileOps = new Map<number, Op[]>(); // size → writes of that size, oldest first
    const loginOps = new Map<number, Op>(); // source port → line
    const loadUsage = new UsageRecorder(pid, 500);
    const startCollected = (await api.status()).counts.collected;
    const threadsBefore = threadCpu(pid);
    loadUsage.start();
    const loadStart = Date.now();
    let logins = 0;
    const written = await paced(LOAD_RATE, LOAD_SECONDS, (i) => {
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
    const byThread = threadCpuSince(threadsBefore, threadCpu(pid));
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
    // Load-robust: CPU time per event (contention stretches wall time more than CPU time).
    const collected = status.counts.collected - startCollected;
    const workCpuSeconds =
      load.cpuSeconds + drain.cpuSeconds - (idle.cpuPercent / 100) * (loadWallSeconds + drain.wallSeconds);
    const cpuMicrosPerEvent = (workCpuSeconds / Math.max(collected, 1)) * 1e6;
    console.log(
      `agent CPU per collected event (load + drain, less the idle rate over both): ${cpuMicrosPerEvent.toFixed(0)} µs over ${collected} events`,
    );
    const perEventOf = (seconds: number) => `${((seconds / Math.max(collected, 1)) * 1e6).toFixed(0)} µs`;
    console.log(
      `  by thread (load + drain, idle not subtracted): ${[...byThread]
        .sort((a, b) => b[1] - a[1])
        .map(([group, seconds]) => `${group} ${perEventOf(seconds)}`)
        .join(', ')}`,
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
      `\nidle RSS: ${mb(idle.firstRssBytes)} MB at the start of the idle phase, ${mb(idle.lastRssBytes)} MB at its end (peak since the agent started: ${mb(idleSplit.peakBytes)} MB)`,
    );
    console.log(
      `where idle RSS goes: at the end of the idle phase ${mb(idleSplit.anonBytes)} MB anonymous (${mb(idleSplit.mallocHeapBytes)} MB of it the malloc heap, the rest mostly V8's heap pages) + ${mb(idleSplit.fileBytes)} MB file-backed (node binary, libraries: shared with other node processes)`,
    );
    console.log(
      `warm-up (${WARMUP_SECONDS} s after connecting): RSS peak ${mb(warmup.peakRssBytes)} MB, CPU ${pct(warmup.cpuPercent)}`,
    );
    if (probe) console.log(`memory probe (the agent's own view, over the idle phase): ${probe}`);

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
    return {
      files: FILES,
      run,
      loadAverage: loadAverage(),
      warmupPeakRssBytes: warmup.peakRssBytes,
      idle,
      idleMallocHeapBytes: idleSplit.mallocHeapBytes,
      idleOtherAnonBytes: idleSplit.anonBytes - idleSplit.mallocHeapBytes,
      idleFileBytes: idleSplit.fileBytes,
      loadCpuPercent: load.cpuPercent,
      loadWithDrainCpuPercent: workPerLoadSecond,
      cpuMicrosPerEvent,
      loadRate: written / loadWallSeconds,
      loadPeakRssBytes: Math.max(load.peakRssBytes, drain.peakRssBytes),
      lost: fileLost + loginLost,
      floodOk: floodStored.phi === phiFlood && agentFloodDrops === managerDrops,
      probe,
    };
  } finally {
    await agent?.stop();
    // The drop log line is written every 30 s and once more at shutdown.
    const dropLines = agentLines.filter((l) => l.includes('"msg":"events dropped"'));
    if (dropLines.length > 0) console.log(`\nthe agent's drop log lines:\n  ${dropLines.join('\n  ')}`);
    await manager.process.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Every run, then min / median / max of each figure per size of the watched folder. */
function printSpread(results: readonly RunResult[]): void {
  console.log('\n=== all runs (MB, % of one core; idle = after the warm-up) ===');
  console.log(
    'files    run  idle RSS avg  peak  start→end    malloc heap  other anon  file-backed  idle CPU  load CPU (+drain)  µs/event  writes/s  load peak  lost  flood  load avg after',
  );
  for (const r of results) {
    console.log(
      [
        r.files.toLocaleString('en-US').padEnd(8),
        String(r.run).padStart(3),
        mb(r.idle.avgRssBytes).padStart(13),
        mb(r.idle.peakRssBytes).padStart(5),
        `${mb(r.idle.firstRssBytes)}→${mb(r.idle.lastRssBytes)}`.padStart(11),
        mb(r.idleMallocHeapBytes).padStart(12),
        mb(r.idleOtherAnonBytes).padStart(11),
        mb(r.idleFileBytes).padStart(12),
        `${r.idle.cpuPercent.toFixed(2)} %`.padStart(9),
        `${r.loadCpuPercent.toFixed(1)} (${r.loadWithDrainCpuPercent.toFixed(1)}) %`.padStart(18),
        r.cpuMicrosPerEvent.toFixed(0).padStart(9),
        r.loadRate.toFixed(0).padStart(9),
        mb(r.loadPeakRssBytes).padStart(10),
        String(r.lost).padStart(5),
        (r.floodOk ? 'ok' : 'NOT ok').padStart(6),
        `  ${r.loadAverage}`,
      ].join(' '),
    );
  }
  const spread = (values: number[], format: (n: number) => string) => {
    const sorted = [...values].sort((a, b) => a - b);
    const median =
      sorted.length % 2 === 1
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return `${format(sorted[0])} / ${format(median)} / ${format(sorted[sorted.length - 1])}`;
  };
  const toMb = (n: number) => mb(n);
  const toPct = (n: number) => `${n.toFixed(2)} %`;
  for (const files of [...new Set(results.map((r) => r.files))]) {
    const of = results.filter((r) => r.files === files);
    console.log(
      `\n=== spread over ${of.length} run(s), ${files.toLocaleString('en-US')} files: min / median / max ===`,
    );
    const rows: [string, string, boolean][] = [
      [
        'RSS peak in the warm-up (first minute), MB',
        spread(
          of.map((r) => r.warmupPeakRssBytes),
          toMb,
        ),
        true,
      ],
      [
        'idle RSS average, MB (≤ 80)',
        spread(
          of.map((r) => r.idle.avgRssBytes),
          toMb,
        ),
        of.every((r) => r.idle.avgRssBytes <= 80 * 1_048_576),
      ],
      [
        'idle RSS peak, MB (≤ 80)',
        spread(
          of.map((r) => r.idle.peakRssBytes),
          toMb,
        ),
        of.every((r) => r.idle.peakRssBytes <= 80 * 1_048_576),
      ],
      [
        'idle RSS change start→end, MB',
        spread(
          of.map((r) => r.idle.lastRssBytes - r.idle.firstRssBytes),
          toMb,
        ),
        true,
      ],
      [
        'idle malloc heap, MB',
        spread(
          of.map((r) => r.idleMallocHeapBytes),
          toMb,
        ),
        true,
      ],
      [
        'idle CPU, % of a core (≤ 1)',
        spread(
          of.map((r) => r.idle.cpuPercent),
          toPct,
        ),
        of.every((r) => r.idle.cpuPercent <= 1),
      ],
      [
        'load CPU with the drain, % of a core (≤ 25)',
        spread(
          of.map((r) => r.loadWithDrainCpuPercent),
          toPct,
        ),
        of.every((r) => r.loadWithDrainCpuPercent <= 25),
      ],
      [
        // 250 µs per event is 25 % of a core at 1,000 events/s, whatever pace a busy machine allowed.
        'agent CPU per collected event, µs (≤ 250)',
        spread(
          of.map((r) => r.cpuMicrosPerEvent),
          (n) => n.toFixed(0),
        ),
        of.every((r) => r.cpuMicrosPerEvent <= 250),
      ],
      [
        'writes/s achieved by the bench (1,000 asked)',
        spread(
          of.map((r) => r.loadRate),
          (n) => n.toFixed(0),
        ),
        true,
      ],
      [
        'RSS peak under load, MB',
        spread(
          of.map((r) => r.loadPeakRssBytes),
          toMb,
        ),
        true,
      ],
      [
        'events lost (0)',
        spread(
          of.map((r) => r.lost),
          String,
        ),
        of.every((r) => r.lost === 0),
      ],
    ];
    for (const [what, values, met] of rows)
      console.log(`  ${what.padEnd(46)} ${values.padEnd(28)} ${met ? '' : 'NOT met in every run'}`);
    console.log(`  flood phase correct in ${of.filter((r) => r.floodOk).length} of ${of.length} runs`);
    for (const r of of) if (r.probe) console.log(`  run ${r.run} memory probe: ${r.probe}`);
  }
}

/** The process collector's cost per poll, as its own benchmark prints it. */
function printProcessCollectorBench(): void {
  const processBench = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts', 'bench', 'process-collector.bench.ts'), '30'],
    { encoding: 'utf8', cwd: repoRoot },
  );
  console.log(
    `\n${processBench.stdout.trim()}${processBench.status === 0 ? '' : `\n(process bench failed: ${processBench.stderr.trim().split('\n').slice(-3).join(' ')})`}`,
  );
}

/** Resident bytes of the process's malloc heap (the brk [heap] mapping): memory glibc keeps after free() shows here. */
function mallocHeap(pid: number): number {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const at = smaps.search(/ \[heap\]\n/);
  if (at < 0) return 0;
  const rss = /^Rss:\s+(\d+) kB/m.exec(smaps.slice(at));
  return Number(rss?.[1] ?? 0) * 1_024;
}

/** The memory probe's first and last sample of the idle phase (diagnostic runs). */
function probeSummary(file: string): string {
  if (!existsSync(file)) return '(no probe samples)';
  const samples = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
  const idle = samples.slice(-IDLE_SECONDS);
  const show = (s: Record<string, number>) =>
    `rss ${mb(s.rss)}, heap used/total ${mb(s.heapUsed)}/${mb(s.heapTotal)} (new space ${mb(s.newSpace)}, old ${mb(s.oldSpace)}), external ${mb(s.external)}, arrayBuffers ${mb(s.arrayBuffers)}`;
  const maxNew = Math.max(...idle.map((s) => s.newSpace));
  const maxBuffers = Math.max(...idle.map((s) => s.arrayBuffers));
  return `idle start: ${show(idle[0])}; end: ${show(idle[idle.length - 1])}; max new space ${mb(maxNew)}, max arrayBuffers ${mb(maxBuffers)} MB`;
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
    [
      '+ OPRF group library (OPRF mode; after 1,000 values blinded)',
      "const { suite } = await require('@wardwatch/shared/oprf').loadOprfSuite(); for (let i = 0; i < 1000; i++) suite.blind(Buffer.from('v' + i))",
    ],
    ['+ @tensorflow/tfjs (only while a model trains, in a worker)', "require('@tensorflow/tfjs')"],
  ];
  const script = `(async () => { const out = []; ${steps.map(([name, code]) => `${code}; global.gc(); out.push(${JSON.stringify(name)} + ' ' + (process.memoryUsage.rss() / 1048576).toFixed(1));`).join(' ')} console.log(out.join(' → ')); })();`;
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
