// Ransomware response, end to end, real processes (issue #8): a real manager and a
// real enrolled agent watching a patient-records folder; per run a fresh folder of
// WW_FILES ordinary documents, then the attacker (ransomware/ransomware-sim.mjs, its
// own process) encrypts them one by one (`<name>.locked`, original deleted) while a
// benign process saves ordinary documents beside it. Measured per run, from the
// attacker's first encrypted file on disk (its own high-resolution log):
//   detection: the agent's "critical rule hit: score sent at once" log line — the
//              ransomware score, with its suspects, handed to the gRPC stream — and
//              how many files the attacker had changed by then; whether the suspects
//              named the attacker's pid;
//   response:  the attacker's process gone (its exit, i.e. waitpid) and how many files
//              it had changed — or "no kill observed within N s" where the manager's
//              playbooks and the agent's response core (automatic kill_process_tree of
//              the score's suspects, or of the writers in folder class phi) are absent.
// The agent's rules are the shipped ones with one change, said in the output: the
// ransomware rule's 30 s window is cut to 3 s, so that runs 4 s apart are separate
// bursts (within a burst the rule does not hit again for the same account). Its count
// (6 files) — what decides when it fires — is unchanged.
//   npm run bench:response   (= tsc -b && tsx scripts/bench/response.bench.ts)
// First, as a baseline, the file collector alone in this process: write → event latency.
// Two paths, one after the other, each with its own fleet (WW_PATHS, default "proc,fanotify"):
//   proc:     the agent's fanotify gate off — the rule, the score's suspects from /proc, the
//             manager's playbook and the kill command (the path where fanotify is unavailable);
//   fanotify: the gate on (agent/src/response/fanotify/): opens in the folder wait for the agent,
//             the attacker is denied and killed by the agent itself after 3 encrypted files.
// The summary puts their time to kill and files changed side by side.
// Settings: WW_RUNS (20), WW_FILES (200), WW_PAUSE_MS attacker pause per file (0), WW_HOLD_MS
// how long it holds each encrypted copy open, as with larger files (0),
// WW_KILL_WAIT_S (10, counted from the attacker's start), WW_BENIGN (1: run the benign load beside the attacker).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet } from '../../test/support/fleet';
import { percentile } from './lib/proc-usage';
import { measureFileEventLatency } from './ransomware/file-event-latency';
import type { LogLine } from '../lib/child-process';

const RUNS = Number(process.env.WW_RUNS ?? 20);
const FILES = Number(process.env.WW_FILES ?? 200);
const PAUSE_MS = Number(process.env.WW_PAUSE_MS ?? 0);
const HOLD_MS = Number(process.env.WW_HOLD_MS ?? 0);
const KILL_WAIT_S = Number(process.env.WW_KILL_WAIT_S ?? 10);
const BENIGN = process.env.WW_BENIGN !== '0';
type ResponsePath = 'proc' | 'fanotify';
const PATHS = (process.env.WW_PATHS ?? 'proc,fanotify')
  .split(',')
  .filter((p): p is ResponsePath => ['proc', 'fanotify'].includes(p));
const ATTACKER = join(__dirname, 'ransomware', 'ransomware-sim.mjs');
const BENIGN_LOAD = join(__dirname, 'ransomware', 'benign-load.mjs');
const RULES_SOURCE = join(__dirname, '..', '..', 'agent', 'rules');

interface RunResult {
  /** The rule's hit (the log line's time less the suspect search) after the first encrypted file. */
  ruleHitMs: number | null;
  filesAtRuleHit: number | null;
  detectedMs: number | null;
  filesAtDetection: number | null;
  suspectNamed: boolean;
  suspects: number;
  searchMs: number | null;
  goneMs: number | null;
  filesAtDeath: number;
  killed: boolean;
  totalMs: number;
}

interface Locked {
  event: string;
  n?: number;
  t: number;
  pid?: number;
}

const note = (i: number) => `Chart ${i}: observations stable, plan unchanged, family informed.\n`.repeat(40);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function benchRules(root: string): string {
  const dir = join(root, 'rules');
  cpSync(RULES_SOURCE, dir, { recursive: true });
  const file = join(dir, 'ransomware-burst.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes('within: 30s')) throw new Error('ransomware-burst.yaml has no "within: 30s" to shorten');
  writeFileSync(file, text.replace('within: 30s', 'within: 3s'));
  return dir;
}

function readLog(path: string): Locked[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Locked);
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const root = join(tmpdir(), `ww-response-bench-${process.pid}`);
  mkdirSync(root, { recursive: true });
  const rulesDir = benchRules(root);
  console.log(
    `response bench: ${RUNS} runs of ${FILES} files, attacker pause ${PAUSE_MS} ms/file, holds each copy open ${HOLD_MS} ms, benign load ${BENIGN ? 'on' : 'off'}`,
  );
  console.log('rules: shipped, ransomware-burst window 30 s → 3 s (count 6 unchanged) so runs are separate bursts');
  const baseline = await measureFileEventLatency();
  console.log(
    `baseline, file collector in this process: write → event p50 ${percentile(baseline.latenciesMs, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(baseline.latenciesMs, 99).toFixed(1)} ms; ${baseline.latenciesMs.length}/${baseline.files} seen, ` +
      `${baseline.sampled} with entropy ≥ 7.5 sampled`,
  );
  const all = new Map<ResponsePath, RunResult[]>();
  for (const path of PATHS) {
    console.log(`\n-- path: ${path} --`);
    const results = await runPath(path, root, rulesDir);
    summarise(results);
    all.set(path, results);
  }
  compare(all);
}

async function runPath(path: ResponsePath, root: string, rulesDir: string): Promise<RunResult[]> {
  const fleet = await startFleet({ scoring: { rulesDir }, response: { gate: { enabled: path === 'fanotify' } } });
  if (path === 'fanotify')
    await fleet.agent
      .waitForLog((l) => l.msg?.startsWith('ransomware gate on') === true, 30_000)
      .catch(() => {
        throw new Error('the agent did not start its fanotify gate (addon not built? not root?)');
      });
  // The agent's log lines so far, read by polling (waitForLog would find the same past line again).
  const seen = new Set<string>();
  const hits: LogLine[] = [];
  const collectHits = (): void => {
    for (const text of fleet.agent.output) {
      if (!text.includes('critical rule hit: score sent at once') || seen.has(text)) continue;
      seen.add(text);
      hits.push(JSON.parse(text) as LogLine);
    }
  };
  await fleet.agent.waitForLog((l) => l.msg === 'scoring ready', 60_000).catch(() => undefined);
  const results: RunResult[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const folder = join(fleet.phiFolder, `${path}-run-${run}`);
      mkdirSync(folder);
      for (let i = 0; i < FILES; i++) writeFileSync(join(folder, `chart-${String(i).padStart(4, '0')}.docx`), note(i));
      await sleep(1_500); // the agent has seen the seeds (they are ordinary creates)
      const log = join(root, `attacker-${path}-${run}.ndjson`);
      const benign = BENIGN
        ? spawn(
            process.execPath,
            [BENIGN_LOAD, '--folder', join(fleet.phiFolder, `${path}-staff-${run}`), '--every-ms', '40'],
            {
              stdio: 'ignore',
            },
          )
        : null;
      collectHits();
      const hitsBefore = hits.length;
      const attacker = spawn(
        process.execPath,
        [
          ATTACKER,
          '--folder',
          folder,
          '--log',
          log,
          '--pause-ms',
          String(PAUSE_MS),
          '--hold-ms',
          String(HOLD_MS),
          '--linger-ms',
          String(KILL_WAIT_S * 1_000 + 5_000),
        ],
        { cwd: root, stdio: 'ignore' },
      );
      const exited = new Promise<{ at: number; signal: NodeJS.Signals | null }>((resolve) =>
        attacker.once('exit', (_code, signal) => resolve({ at: performance.timeOrigin + performance.now(), signal })),
      );
      // The clock for a kill starts when the attacker starts (node's start-up is slow on a loaded machine).
      for (let waited = 0; waited < 30_000 && !readLog(log).some((e) => e.event === 'start'); waited += 20)
        await sleep(20);
      const killWait = sleep(KILL_WAIT_S * 1_000).then(() => null);
      const gone = await Promise.race([exited, killWait]);
      if (!gone) attacker.kill('SIGKILL');
      const exit = gone ?? (await exited);
      benign?.kill('SIGKILL');
      const entries = readLog(log);
      const locked = entries.filter((e) => e.event === 'locked');
      const first = locked[0]?.t ?? Number.NaN;
      // A loaded machine may log the hit after the attacker is gone: wait for it a little.
      const ransomwareHit = () =>
        hits.slice(hitsBefore).find((h) => JSON.stringify(h.rules ?? []).includes('ransomware-burst'));
      // (The gate stops the attacker before the rule's 6 files: no hit is waited for on that path.)
      const hitWaitMs = path === 'proc' ? 8_000 : 0;
      for (let waited = 0; waited < hitWaitMs && (collectHits(), !ransomwareHit()); waited += 100) await sleep(100);
      const hit = ransomwareHit();
      const hitAt = hit ? Date.parse(String(hit.time)) : null;
      const pids = (hit?.pids as number[] | undefined) ?? [];
      const searchMs = typeof hit?.searchMs === 'number' ? hit.searchMs : null;
      const ruleHitAt = hitAt !== null ? hitAt - (searchMs ?? 0) : null;
      const result: RunResult = {
        ruleHitMs: ruleHitAt !== null ? ruleHitAt - first : null,
        filesAtRuleHit: ruleHitAt !== null ? locked.filter((e) => e.t <= ruleHitAt).length : null,
        detectedMs: hitAt !== null ? hitAt - first : null,
        filesAtDetection: hitAt !== null ? locked.filter((e) => e.t <= hitAt).length : null,
        suspectNamed: pids.includes(attacker.pid!),
        suspects: pids.length,
        searchMs,
        goneMs: gone ? gone.at - first : null,
        filesAtDeath: locked.filter((e) => !gone || e.t <= gone.at).length,
        killed: gone !== null,
        totalMs: locked.length ? locked[locked.length - 1].t - first : 0,
      };
      results.push(result);
      console.log(
        `run ${run + 1}: ${locked.length} files in ${result.totalMs.toFixed(0)} ms; ` +
          (result.detectedMs !== null
            ? `score with ${result.suspects} suspect(s) sent ${result.detectedMs.toFixed(0)} ms after the first encrypted file, ${result.filesAtDetection} files changed by then, attacker ${result.suspectNamed ? 'named' : 'NOT named'} (search ${result.searchMs} ms)`
            : 'no ransomware score seen') +
          (gone
            ? `; attacker gone after ${result.goneMs!.toFixed(0)} ms (${exit.signal ?? 'exit'}), ${result.filesAtDeath} files changed`
            : `; no kill observed within ${KILL_WAIT_S} s`),
      );
      await sleep(4_000); // beyond the bench rule's 3 s window: the next run is a new burst
    }
  } finally {
    await fleet.stop();
  }
  return results;
}

/** The two paths side by side: time to kill and files changed, over the runs where the attacker died. */
function compare(all: Map<ResponsePath, RunResult[]>): void {
  console.log('\n== time to kill, per path ==');
  console.log('path      killed  first file → gone p50 / p99   files changed p50 / p99 / max');
  for (const [path, results] of all) {
    const killed = results.filter((r) => r.killed);
    const gone = killed.map((r) => r.goneMs!);
    const files = killed.map((r) => r.filesAtDeath);
    const cell = (values: number[], p: number) => (values.length ? percentile(values, p).toFixed(0) : '-');
    console.log(
      `${path.padEnd(9)} ${`${killed.length}/${results.length}`.padEnd(7)} ` +
        `${`${cell(gone, 50)} ms / ${cell(gone, 99)} ms`.padEnd(30)} ` +
        `${cell(files, 50)} / ${cell(files, 99)} / ${files.length ? Math.max(...files) : '-'}`,
    );
  }
  console.log(
    `machine load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

function summarise(results: RunResult[]): void {
  const fmt = (values: number[], unit = 'ms') =>
    values.length
      ? `p50 ${percentile(values, 50).toFixed(0)} ${unit}, p99 ${percentile(values, 99).toFixed(0)} ${unit} (n=${values.length})`
      : 'none';
  const detected = results.filter((r) => r.detectedMs !== null);
  console.log('\n== ransomware response bench ==');
  console.log(
    `machine load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`detected: ${detected.length}/${results.length} runs`);
  console.log(`first encrypted file → rule hit (before the suspect search): ${fmt(detected.map((r) => r.ruleHitMs!))}`);
  console.log(
    `files changed by the rule hit: ${fmt(
      detected.map((r) => r.filesAtRuleHit!),
      'files',
    )}`,
  );
  console.log(`first encrypted file → score with suspects on the stream: ${fmt(detected.map((r) => r.detectedMs!))}`);
  console.log(
    `files changed by then: ${fmt(
      detected.map((r) => r.filesAtDetection!),
      'files',
    )}`,
  );
  console.log(`attacker named among the suspects: ${detected.filter((r) => r.suspectNamed).length}/${detected.length}`);
  console.log(`suspect search: ${fmt(detected.flatMap((r) => (r.searchMs !== null ? [r.searchMs] : [])))}`);
  const killed = results.filter((r) => r.killed);
  if (killed.length === 0) console.log(`response: no kill observed within ${KILL_WAIT_S} s in any run`);
  else {
    console.log(`response: attacker gone in ${killed.length}/${results.length} runs`);
    console.log(`first encrypted file → attacker gone: ${fmt(killed.map((r) => r.goneMs!))}`);
    console.log(
      `files changed before it died: ${fmt(
        killed.map((r) => r.filesAtDeath),
        'files',
      )}`,
    );
  }
  console.log(
    `attacker speed: ${fmt(
      results.map((r) => r.totalMs / Math.max(1, FILES)),
      'ms/file',
    )}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
