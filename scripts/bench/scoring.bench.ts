// Scoring benchmark: windows scored per second (batched), single-window latency,
// events per second through features + rules, training time on 30 days of one
// workstation's history, and memory of a loaded model. Baselines in the same run:
// a plain JS z-score pass (no model, no reasons) and tfjs batched predict.
//   npx tsx scripts/bench/scoring.bench.ts
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { Severity, type Event } from '@wardwatch/proto';
import { WorkstationScorer } from '../../agent/src/scoring/live/workstation-scorer';
import { LiveScoring } from '../../agent/src/scoring/live/live-scoring';
import { scoringSettings } from '../../agent/src/config/scoring-settings';
import { createJsonLogger } from '../../agent/src/logging/logger';
import { Pseudonymizer } from '../../agent/src/pseudonymize/pseudonymizer';
import { pseudonymizeEvent } from '../../agent/src/pseudonymize/pseudonymize-event';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FEATURE_COUNT, type FeatureWindow } from '@wardwatch/shared';
import { loadTfModel } from '../../agent/src/scoring/model/autoencoder';
import { AUTOENCODER_DIR, fitRiskModel, loadRiskModel } from '../../agent/src/scoring/model/fit-risk-model';
import { normalize } from '../../agent/src/scoring/model/normalizer';
import { DEFAULT_RULES_DIR, loadRules } from '../../agent/src/scoring/rules/load-rules';
import { benignWindows, WindowPipeline } from '../../agent/src/scoring/windows/window-pipeline';
import { scoringConfig } from '../../agent/src/config/scoring-config';
import { simulate } from '../simulator/simulate';

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  const config = scoringConfig();
  const rules = await loadRules(DEFAULT_RULES_DIR);

  // Fleet data: 120 users × 45 days → windows to score.
  const sim = simulate({ days: 45, users: 120, seed: 11, scenarios: [] });
  let t = performance.now();
  const pipeline = new WindowPipeline(rules);
  for (const event of sim.events) pipeline.observe(event);
  pipeline.flush();
  const extractMs = performance.now() - t;
  const windows = benignWindows(pipeline.learned);
  console.log(
    `features + rules: ${sim.events.length} events in ${extractMs.toFixed(0)} ms = ${rate(sim.events.length, extractMs)} events, ${windows.length} windows`,
  );

  // Training on 30 days of one workstation's history (the users of one shared workstation), in a worker.
  const host = sim.events[0].host;
  const hostEvents = sim.events.filter((e) => e.host === host && e.time < sim.start + 30 * 86_400_000);
  const hostPipeline = new WindowPipeline(rules);
  for (const event of hostEvents) hostPipeline.observe(event);
  hostPipeline.flush();
  const hostWindows = benignWindows(hostPipeline.learned);
  const folder = mkdtempSync(join(tmpdir(), 'ww-bench-'));
  t = performance.now();
  await fitRiskModel(hostWindows, { folder, config, trainer: 'worker' });
  const trainMs = performance.now() - t;
  console.log(
    `training (worker, 25 epochs) on 30 days of ${host}: ${hostEvents.length} events, ${hostWindows.length} windows in ${trainMs.toFixed(0)} ms`,
  );
  const big = Array.from({ length: 20_000 }, (_, i) => windows[i % windows.length]);
  t = performance.now();
  await fitRiskModel(big, { folder: join(folder, 'big'), config, trainer: 'worker' });
  console.log(`training (worker) on 20,000 windows: ${(performance.now() - t).toFixed(0)} ms`);

  // Memory of a loaded model, measured in a fresh process (this one holds the simulation).
  const model = await loadRiskModel(join(folder, 'big'), config);
  const files = readdirSync(join(folder, 'big'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => statSync(join(folder, 'big', f)).size);
  const modelFiles = readdirSync(join(folder, 'big', AUTOENCODER_DIR)).map(
    (f) => statSync(join(folder, 'big', AUTOENCODER_DIR, f)).size,
  );
  // Held memory = heap + external after a full GC, with the model kept alive; RSS alone
  // moves with whatever V8 has not handed back yet.
  const probe = `
    const held = () => { gc(); const m = process.memoryUsage(); return { rss: m.rss, held: m.heapUsed + m.external }; };
    const { loadRiskModel } = require(${JSON.stringify(join(__dirname, '../../agent/src/scoring/model/fit-risk-model.ts'))});
    const { scoringConfig } = require(${JSON.stringify(join(__dirname, '../../agent/src/config/scoring-config.ts'))});
    const before = held();
    loadRiskModel(${JSON.stringify(join(folder, 'big'))}, scoringConfig()).then((model) => {
      globalThis.keep = model;
      const after = held();
      const tfjs = Object.keys(require.cache).some((k) => k.includes('@tensorflow'));
      console.log(JSON.stringify({ before, after, tfjs }));
    });`;
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', probe], { encoding: 'utf8' });
  type Reading = { rss: number; held: number };
  const memory = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
    before: Reading;
    after: Reading;
    tfjs: boolean;
  };
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(
    `loaded model (fresh process, after a full GC): heap + external ${kb(memory.after.held - memory.before.held)} held by the model; RSS ${mb(memory.before.rss)} → ${mb(memory.after.rss)} (tfjs loaded: ${memory.tfjs ? 'yes' : 'no'}); files: state ${files.reduce((a, b) => a + b, 0)} B, autoencoder ${modelFiles.reduce((a, b) => a + b, 0)} B`,
  );

  // Batched scoring: every window, repeated for about a second.
  const batch: FeatureWindow[] = windows;
  let scored = 0;
  let alerts = 0;
  t = performance.now();
  while (performance.now() - t < 1000) {
    for (const w of batch) if (model.score(w).alert) alerts++;
    scored += batch.length;
  }
  const fullMs = performance.now() - t;
  // Baseline: a plain JS z-score pass against each user's median/scale (no model, no calibration, no reasons).
  const stats = model.state.baselines;
  let zPassed = 0;
  let sink = 0;
  t = performance.now();
  while (performance.now() - t < 500) {
    for (const w of batch) {
      const s = stats.users[w.user] ?? stats.fleet;
      let max = 0;
      for (let f = 0; f < FEATURE_COUNT; f++) {
        const z = (w.values[f] - s.median[f]) / s.scale[f];
        if (z > max) max = z;
      }
      sink += max;
    }
    zPassed += batch.length;
  }
  const zMs = performance.now() - t;
  // Baseline: tfjs (wasm) batched predict of the same autoencoder, 1,000 rows at a time.
  const tfModel = await loadTfModel(join(folder, 'big', AUTOENCODER_DIR));
  const rows = new Float32Array(1000 * FEATURE_COUNT);
  for (let i = 0; i < 1000; i++)
    normalize(batch[i % batch.length].values, model.state.normalizer, rows, i * FEATURE_COUNT);
  let tfRows = 0;
  t = performance.now();
  while (performance.now() - t < 500) {
    tf.tidy(() => {
      const x = tf.tensor2d(rows, [1000, FEATURE_COUNT]);
      const y = tfModel.predict(x) as tf.Tensor;
      y.sub(x).square().mean(1).dataSync();
    });
    tfRows += 1000;
  }
  const tfMs = performance.now() - t;
  const full = (scored / fullMs) * 1000;
  console.log(
    `batched scoring (baselines + autoencoder + calibration + reasons): ${rate(scored, fullMs)} windows (${alerts} alerts)`,
  );
  console.log(
    `  baseline plain JS z-score pass: ${rate(zPassed, zMs)} windows → full scoring at ${((full / ((zPassed / zMs) * 1000)) * 100).toFixed(0)} % of its speed`,
  );
  console.log(
    `  baseline tfjs ${tf.getBackend()} batched predict (1,000 rows): ${rate(tfRows, tfMs)} windows (bare model only) → full scoring with the JS forward pass runs at ${(full / ((tfRows / tfMs) * 1000)).toFixed(1)}× that rate`,
  );

  // Single-window latency.
  const latencies = new Float64Array(20_000);
  for (let i = 0; i < latencies.length; i++) {
    const w = batch[i % batch.length];
    const s = performance.now();
    model.score(w);
    latencies[i] = performance.now() - s;
  }
  latencies.sort();
  const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))].toFixed(4);
  console.log(
    `single-window latency: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${latencies[latencies.length - 1].toFixed(3)} ms`,
  );
  // Live path: proto Event → portable → history file → features + rules (+ scores when windows close).
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-bench-live-'));
  cpSync(join(folder, 'big'), join(dataDir, 'scoring', 'fleet-model'), { recursive: true });
  const live = await WorkstationScorer.open({ dataDir, host: 'ws-bench', rules, config });
  const protoEvents = sim.events.flatMap((e): Event[] => {
    const head = { id: '', timeMs: e.time, severity: Severity.SEVERITY_INFO, user: e.user, sequence: 0 };
    if (e.kind === 'logon' || e.kind === 'logoff' || e.kind === 'failed_logon') {
      return [
        {
          ...head,
          detail: {
            $case: 'login',
            value: {
              action: e.kind,
              method: 'password',
              service: 'sshd',
              tty: '',
              sourceHost: '',
              sourceIp: e.sourceIp ?? '',
              sourcePort: 0,
              targetUser: '',
              raw: '',
            },
          },
        },
      ];
    }
    if (e.kind === 'file_write' || e.kind === 'file_create') {
      return [
        {
          ...head,
          detail: {
            $case: 'file',
            value: {
              action: e.kind.slice(5),
              path: e.path,
              previousPath: '',
              folderClass: e.folderClass,
              extension: e.extension ?? '',
              depth: 3,
              sizeBytes: e.sizeBytes ?? 0,
              entropy: e.entropy ?? -1,
              owner: e.user,
              process: '',
              pid: 0,
            },
          },
        },
      ];
    }
    if (e.kind === 'process_start') {
      return [
        {
          ...head,
          detail: {
            $case: 'process',
            value: {
              action: 'start',
              pid: 1,
              ppid: 0,
              executable: e.executable,
              commandLine: e.commandLine ?? '',
              sha256: '',
            },
          },
        },
      ];
    }
    return [];
  });
  let liveScores = 0;
  t = performance.now();
  for (const event of protoEvents) liveScores += live.observe(event).length;
  const liveMs = performance.now() - t;
  await live.close();
  console.log(
    `WorkstationScorer.observe (proto events, history file, ${live.modelSource} model): ${rate(protoEvents.length, liveMs)} events, ${((liveMs / protoEvents.length) * 1000).toFixed(2)} µs/event, ${liveScores} windows scored`,
  );
  // The running agent's per-event cost: LiveScoring.observe (scorer, score messages with safe
  // reasons, score queue) beside pseudonymising the same event, which collection does anyway.
  const agentDir = mkdtempSync(join(tmpdir(), 'ww-bench-agent-'));
  cpSync(join(folder, 'big'), join(agentDir, 'scoring', 'fleet-model'), { recursive: true });
  const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 1));
  const scoring = new LiveScoring({
    settings: scoringSettings(),
    dataDir: agentDir,
    host: 'ws-bench',
    pseudonyms,
    logger: createJsonLogger({ write: () => undefined }),
  });
  await scoring.start();
  t = performance.now();
  for (const event of protoEvents) scoring.observe(event);
  const agentMs = performance.now() - t;
  let pseudoSink = 0;
  t = performance.now();
  for (const event of protoEvents) pseudoSink += pseudonymizeEvent(event, pseudonyms).user.length;
  const pseudoMs = performance.now() - t;
  const agentStats = scoring.stats();
  await scoring.stop();
  console.log(
    `agent hot path LiveScoring.observe: ${rate(protoEvents.length, agentMs)} events, ${((agentMs / protoEvents.length) * 1000).toFixed(2)} µs/event (${agentStats.scored} scores queued, ${agentStats.errors} errors); baseline pseudonymizeEvent: ${((pseudoMs / protoEvents.length) * 1000).toFixed(2)} µs/event → scoring costs ${(agentMs / pseudoMs).toFixed(1)}× pseudonymising (checksum ${pseudoSink})`,
  );
  const p99 = latencies[Math.floor(0.99 * (latencies.length - 1))];
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `targets: >= 100,000 windows/s batched ${verdict(full >= 100_000)}, p99 <= 1 ms ${verdict(p99 <= 1)}, training <= 30 s ${verdict(trainMs <= 30_000)} (checksum ${sink.toFixed(0)})`,
  );
  tfModel.dispose();
}

void main();
