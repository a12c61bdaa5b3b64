// What pseudonyms without a key on the workstation cost (issue #11, OPRF mode), on the
// agent's real code (OprfTokens, PendingEvents, EventPipeline, the cache file) against a
// real gRPC server over mutual TLS on loopback that evaluates as the manager's OprfKey
// does (the agent's TestManager fixture with an OPRF key; the manager's per-agent rate
// limit is not in this path). Prints:
//   0. loading the group library: wall time, CPU time and RSS;
//   1. per new value: client blind + finalize, server evaluate (CPU time), for each group
//      library in the same run: libsodium in WebAssembly (the default; and as the agent loads
//      it, never optimised by V8), noble under the same suite code (the fallback), and noble's
//      own OPRF (what ran before); the ratio to
//      noble's own, and the local-key HMAC beside them;
//   2. round trip: one value per call, and batches of 64 (the default cap);
//   3. start-up with N distinct file paths (in folders of 100, as the footprint bench lays
//      them out): reading the cache file vs asking the manager again (one value per folder);
//      then the first events after a start with an empty cache and the manager reachable:
//      the delay of the first event (a new user, a file in a new folder) through the real
//      fetcher, and of a burst of 1,000 file events over 10 new folders;
//   4. an offline day: a ward workstation's value mix, the day before online (cache warm),
//      then a day with the manager unreachable: events held back, distinct values waiting,
//      bytes on disk, and the time to drain when it is back; twice: the ward's letters in
//      one folder (as before), and in one folder per patient (~10 % of them new each day);
//   5. the manager's event loop while agents' batches are evaluated: on the loop (inline,
//      as before) vs in the worker thread (blind-evaluator.ts, the default): the loop's
//      gaps (p50/p99/max) while WW_AGENTS agents each send WW_BATCHES batches of 64.
//   npx tsx scripts/bench/oprf.bench.ts
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { loadNobleGroup, loadOprfSuite, loadSodiumGroup, OprfSuite } from '@wardwatch/shared/oprf';
import { Severity, type Event } from '@wardwatch/proto';
import { oprfAddressMac, oprfInput, oprfPathMac, pseudonymMac } from '@wardwatch/shared/pseudonyms';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyAndCsr } from '../../agent/src/enrollment/csr';
import { createTestPki } from '../../agent/src/enrollment/test-pki.fixture';
import { createMemoryLogger } from '../../agent/src/logging/logger';
import { MemoryOutbox } from '../../agent/src/outbox/memory-outbox';
import { EventPipeline } from '../../agent/src/pipeline/event-pipeline';
import { RecentEvents } from '../../agent/src/pipeline/recent-events';
import { loadOprfCache, OprfCacheFile, OPRF_CACHE_FILE } from '../../agent/src/pseudonymize/oprf/cache-file';
import { ManagerOprfEvaluator } from '../../agent/src/pseudonymize/oprf/manager-evaluator';
import { OprfTokens, type OprfEvaluator } from '../../agent/src/pseudonymize/oprf/oprf-tokens';
import { TokenFetcher } from '../../agent/src/pseudonymize/oprf/token-fetcher';
import { PendingEvents, PENDING_EVENTS_FILE } from '../../agent/src/pseudonymize/oprf/pending-events';
import { Pseudonymizer } from '../../agent/src/pseudonymize/pseudonymizer';
import { StatusTracker } from '../../agent/src/status/status-tracker';
import { createSessionClient } from '../../agent/src/transport/grpc-clients';
import { TestManager } from '../../agent/src/transport/test-manager.fixture';
import {
  InlineBlindEvaluator,
  WorkerBlindEvaluator,
  type BlindEvaluator,
} from '../../manager/src/pseudonym-oracle/blind-evaluator';
import { OprfKey } from '../../manager/src/pseudonym-oracle/oprf-key';

const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
const us = (ns: bigint, n: number) => (Number(ns) / 1_000 / n).toFixed(1);
const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(0);
const time = async (f: () => unknown) => {
  const t = process.hrtime.bigint();
  await f();
  return process.hrtime.bigint() - t;
};
/** CPU time (user + system) of a synchronous step, in µs: what a shared machine's load does not inflate. */
const cpu = (f: () => unknown) => {
  const before = process.cpuUsage();
  f();
  const used = process.cpuUsage(before);
  return used.user + used.system;
};

/** The three OPRF steps as one implementation offers them. */
interface OprfSteps {
  blind(input: Uint8Array): { blind: Uint8Array; blinded: Uint8Array };
  blindEvaluate(secretKey: Uint8Array, blinded: Uint8Array): Uint8Array | undefined;
  finalize(input: Uint8Array, blind: Uint8Array, evaluated: Uint8Array): Uint8Array;
}

/** µs of CPU per value for blind, evaluate and finalize; checks every output against `reference`. */
function perValue(steps: OprfSteps, secretKey: Uint8Array, inputs: Uint8Array[], reference?: string[]) {
  const n = inputs.length;
  steps.finalize(inputs[0], ...warmUp(steps, secretKey, inputs[0])); // compile before timing
  let blinds: { blind: Uint8Array; blinded: Uint8Array }[] = [];
  const blind = cpu(() => (blinds = inputs.map((input) => steps.blind(input))));
  let evaluated: Uint8Array[] = [];
  const evaluate = cpu(() => (evaluated = blinds.map((b) => steps.blindEvaluate(secretKey, b.blinded)!)));
  let outputs: Uint8Array[] = [];
  const finalize = cpu(
    () => (outputs = inputs.map((input, i) => steps.finalize(input, blinds[i].blind, evaluated[i]))),
  );
  const hexOut = outputs.map((o) => Buffer.from(o).toString('hex'));
  if (reference && hexOut.some((h, i) => h !== reference[i])) throw new Error('implementations disagree');
  return { blind: blind / n, evaluate: evaluate / n, finalize: finalize / n, outputs: hexOut };
}

function warmUp(steps: OprfSteps, secretKey: Uint8Array, input: Uint8Array): [Uint8Array, Uint8Array] {
  const b = steps.blind(input);
  return [b.blind, steps.blindEvaluate(secretKey, b.blinded)!];
}

async function main(): Promise<void> {
  console.log(`load average at start: ${load()}`);
  // Loading the library is a start-up cost (the agent loads it as OPRF mode starts).
  const rssBefore = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  const wall = await time(() => loadOprfSuite());
  const cpuLoad = process.cpuUsage(cpuBefore);
  const { suite, fallbackReason } = await loadOprfSuite();
  console.log(
    `OPRF group library: ${suite.implementation}${fallbackReason ? ` (fallback: ${fallbackReason})` : ''}; loaded in ${ms(wall)} ms (${((cpuLoad.user + cpuLoad.system) / 1_000).toFixed(0)} ms of CPU), RSS +${((process.memoryUsage.rss() - rssBefore) / 1_048_576).toFixed(1)} MB`,
  );
  const secretKey = suite.randomScalar();
  const hmacKey = randomBytes(32);

  // 1. Per value, in process, CPU time.
  const N = Number(process.env.WW_VALUES ?? 200);
  const inputs = Array.from({ length: N }, (_, i) => oprfInput('user', `nurse.${i}`));
  const nobleOwn = perValue(ristretto255_oprf.oprf, secretKey, inputs);
  const rows = [
    ['noble, its own OPRF (before)', nobleOwn],
    [
      'noble under our suite (fallback)',
      perValue(new OprfSuite(await loadNobleGroup()), secretKey, inputs, nobleOwn.outputs),
    ],
    ['libsodium wasm (default)', perValue(new OprfSuite(await loadSodiumGroup()), secretKey, inputs, nobleOwn.outputs)],
    [
      'libsodium wasm, never optimised (agent)',
      perValue(
        new OprfSuite(await loadSodiumGroup(undefined, { optimise: false })),
        secretKey,
        inputs,
        nobleOwn.outputs,
      ),
    ],
  ] as const;
  const hmac = cpu(() => {
    for (let i = 0; i < N; i++) pseudonymMac(hmacKey, 'user', `nurse.${i}`);
  });
  console.log(`\n1. per new value, µs of CPU (${N} values; every output checked equal to noble's own; load ${load()})`);
  console.log('   implementation                          blind  evaluate  finalize   agent (blind+finalize)');
  for (const [name, r] of rows) {
    const agent = r.blind + r.finalize;
    const ratio = (nobleOwn.blind + nobleOwn.finalize) / agent;
    console.log(
      `   ${name.padEnd(39)} ${r.blind.toFixed(0).padStart(5)} ${r.evaluate.toFixed(0).padStart(9)} ${r.finalize.toFixed(0).padStart(9)}   ${agent.toFixed(0).padStart(6)} (x${ratio.toFixed(1)}; evaluate x${(nobleOwn.evaluate / r.evaluate).toFixed(1)})`,
    );
  }
  console.log(`   local-key HMAC (the mode it replaces) ${(hmac / N).toFixed(1)} µs`);
  const folderKey = randomBytes(32);
  const pathHmac = cpu(() => {
    for (let i = 0; i < N; i++) oprfPathMac(folderKey, `/srv/records/ward3/letter-${i}.pdf`);
  });
  console.log(`   OPRF mode, a new file in a folder already evaluated (oprfPathMac) ${(pathHmac / N).toFixed(1)} µs`);
  const addressHmac = cpu(() => {
    for (let i = 0; i < N; i++) oprfAddressMac(folderKey, `10.1.7.${i % 256}`);
  });
  console.log(
    `   OPRF mode, a new address in a network already evaluated (oprfAddressMac) ${(addressHmac / N).toFixed(1)} µs`,
  );

  // A real gRPC server over mutual TLS evaluating under the key.
  const pki = await createTestPki();
  const manager = new TestManager(pki);
  manager.oprfKey = secretKey;
  await manager.listen();
  const keys = await createKeyAndCsr('agent-7');
  const identity = {
    agentId: 'agent-7',
    privateKeyPem: keys.privateKeyPem,
    certificatePem: await pki.signCsr(keys.csrPem, 'agent-7'),
    caPem: pki.caPem,
  };
  const client = createSessionClient(`127.0.0.1:${manager.port}`, identity);
  const evaluator: OprfEvaluator = new ManagerOprfEvaluator(() => client);

  // 2. Round trips.
  const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}`);
  const warm = new OprfTokens();
  warm.mac('user', 'warm-up');
  await warm.fetch(evaluator);
  const single = new OprfTokens({ batchSize: 1 });
  const SINGLES = 20;
  for (const v of values('single', SINGLES)) single.mac('user', v);
  const tSingle = await time(async () => {
    while (single.pending > 0) await single.fetch(evaluator);
  });
  const batched = new OprfTokens({ batchSize: 64 });
  const BATCHED = 64 * 4;
  for (const v of values('batched', BATCHED)) batched.mac('user', v);
  const tBatched = await time(async () => {
    while (batched.pending > 0) await batched.fetch(evaluator);
  });
  console.log('\n2. round trip over mutual TLS (loopback), blind + call + finalize');
  console.log(`   1 value per call     ${(Number(tSingle) / 1e6 / SINGLES).toFixed(2)} ms per value`);
  console.log(
    `   64 values per call   ${(Number(tBatched) / 1e6 / (BATCHED / 64)).toFixed(1)} ms per call, ${us(tBatched, BATCHED)} µs per value`,
  );

  // 3. Start-up with N distinct paths (folders of 100).
  console.log(
    '\n3. start-up with N distinct file paths known (folders of 100): cache file read vs asking the manager again',
  );
  for (const n of (process.env.WW_STARTUP_SIZES ?? '1000,10000,100000').split(',').map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), 'ww-oprf-bench-'));
    const tokens = new OprfTokens();
    const paths = values('letter', n).map((v, i) => `/srv/records/ward3/d${Math.floor(i / 100)}/${v}.pdf`);
    for (const path of paths) tokens.mac('path', path);
    const asked = tokens.pending;
    const tCold = await time(async () => {
      while (tokens.pending > 0) await tokens.fetch(evaluator);
    });
    new OprfCacheFile(dir, tokens).save();
    const bytes = statSync(join(dir, OPRF_CACHE_FILE)).size;
    let restored: OprfTokens | undefined;
    const tWarm = await time(() => (restored = new OprfTokens({}, loadOprfCache(dir))));
    const tPaths = cpu(() => paths.forEach((path) => restored!.mac('path', path)));
    console.log(
      `   N=${String(n).padStart(6)}  cache file ${(bytes / 1_048_576).toFixed(2)} MB read in ${ms(tWarm)} ms (${restored!.stats.cached} folder keys), then ${us(BigInt(tPaths) * 1_000n, n)} µs of CPU per path; without it: ${asked} values, ${ms(tCold)} ms of calls`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  await firstEvents(evaluator);

  // 4. An offline day on a ward workstation.
  for (const layout of ['one folder', 'a folder per patient'] as const) await offlineDay(evaluator, layout);

  client.close();
  await manager.stop();

  // 5. The manager's event loop while it evaluates.
  const agents = Number(process.env.WW_AGENTS ?? 8);
  const batches = Number(process.env.WW_BATCHES ?? 2);
  console.log(`\n5. manager event loop while ${agents} agents each send ${batches} batches of 64 (load ${load()})`);
  const key = new OprfKey(secretKey, suite);
  const worker = new WorkerBlindEvaluator(key);
  await worker.evaluate([suite.blind(Buffer.from('warm')).blinded]); // the worker started
  for (const [name, evaluator] of [
    ['inline (before)', new InlineBlindEvaluator(key)],
    ['worker (after) ', worker],
  ] as [string, BlindEvaluator][]) {
    const elements = Array.from({ length: 64 }, (_, i) => suite.blind(Buffer.from(`user\0n${i}`)).blinded);
    // The loop's gaps, seen by a 1 ms timer (a blocked loop shows as one long gap).
    const gaps: number[] = [];
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 1);
    const tAll = await time(() =>
      Promise.all(
        Array.from({ length: agents }, async () => {
          for (let b = 0; b < batches; b++) {
            // Each call arrives on its own turn of the loop, as gRPC calls do.
            await new Promise((resolve) => setImmediate(resolve));
            await evaluator.evaluate(elements);
          }
        }),
      ),
    );
    clearInterval(probe);
    gaps.push(performance.now() - last);
    gaps.sort((a, b) => a - b);
    const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))].toFixed(1);
    console.log(
      `   ${name}  ${agents * batches * 64} values in ${ms(tAll)} ms; loop gaps p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${gaps[gaps.length - 1].toFixed(1)} ms`,
    );
  }
  await worker.close();
  console.log(`\nload average at end: ${load()}`);
}

/** The pipeline of an agent in OPRF mode (no fetcher: the caller fetches), on `dir`. */
function oprfPipeline(dir: string, tokens: OprfTokens) {
  const pending = new PendingEvents(dir);
  const outbox = new MemoryOutbox({ capacity: 1_000_000, firstSequence: 1 });
  const pipeline = new EventPipeline({
    pseudonymizer: new Pseudonymizer(tokens, { folders: [{ path: '/srv/records', class: 'phi' }] }),
    outbox,
    recent: new RecentEvents(),
    status: new StatusTracker({ version: 'bench', managerAddress: 'm', outboxStats: () => outbox.stats() }),
    logger: createMemoryLogger(),
    onQueued: () => undefined,
    pending,
  });
  return { pending, outbox, pipeline };
}

/** Start with an empty cache, the manager reachable: when do the first events leave? (The real fetcher, 20 ms gathering.) */
async function firstEvents(evaluator: OprfEvaluator): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ww-oprf-first-'));
  const tokens = new OprfTokens();
  const { pending, outbox, pipeline } = oprfPipeline(dir, tokens);
  const fetcher = new TokenFetcher({
    tokens,
    evaluator,
    logger: createMemoryLogger(),
    onTokens: () => pipeline.release(),
  });
  const queued = () => outbox.stats().queued;
  const until = async (n: number) => {
    while (queued() < n) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  const burst = wardDay(7, 'a folder per patient')
    .filter((e) => e.detail?.$case === 'file')
    .slice(0, 1_000);
  const t0 = process.hrtime.bigint();
  pipeline.emit(burst[0]);
  await until(1);
  const tFirst = process.hrtime.bigint() - t0;
  const t1 = process.hrtime.bigint();
  const folders = new Set<string>();
  for (const [i, event] of burst.slice(1).entries()) {
    if (event.detail?.$case !== 'file') continue;
    // Ten new folders: the burst of a restored backup or a ransomware run through a share.
    event.detail.value.path = `/srv/records/restore/f${i % 10}/${i}.pdf`;
    folders.add(`f${i % 10}`);
    pipeline.emit(event);
  }
  await until(burst.length);
  const tBurst = process.hrtime.bigint() - t1;
  fetcher.stop();
  console.log(
    `   first event after start (empty cache, manager reachable): queued after ${(Number(tFirst) / 1e6).toFixed(1)} ms; a burst of ${burst.length - 1} file events over ${folders.size} new folders: all queued after ${ms(tBurst)} ms (${pending.stats.dropped} dropped)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

async function offlineDay(evaluator: OprfEvaluator, layout: Layout): Promise<void> {
  console.log(`\n4. an offline day (a ward workstation: 8,000 events a day; letters in ${layout})`);
  const dir = mkdtempSync(join(tmpdir(), 'ww-oprf-day-'));
  const tokens = new OprfTokens();
  const { pending, outbox, pipeline } = oprfPipeline(dir, tokens);
  for (const event of wardDay(1, layout)) pipeline.emit(event); // the day before, online
  while (tokens.pending > 0) await tokens.fetch(evaluator);
  pipeline.release();
  outbox.takeBatch(1_000_000);
  const today = wardDay(2, layout);
  const rssBefore = process.memoryUsage.rss();
  for (const event of today) pipeline.emit(event); // manager unreachable all day
  const rssHeld = process.memoryUsage.rss() - rssBefore;
  const held = pending.stats;
  const waitingValues = tokens.pending;
  const fileBytes = statSync(join(dir, PENDING_EVENTS_FILE)).size;
  const tDrain = await time(async () => {
    while (tokens.pending > 0) await tokens.fetch(evaluator);
    pipeline.release();
  });
  const sentAtOnce = today.length - held.waiting;
  console.log(
    `   events today ${today.length}: sent at once (all values known or clear) ${sentAtOnce}, held back ${held.waiting}`,
  );
  console.log(
    `   distinct values waiting for a token ${waitingValues}; held-back file ${(fileBytes / 1024).toFixed(0)} KiB (in memory ${(held.bytes / 1024).toFixed(0)} KiB of encoded events; the bench's RSS +${(rssHeld / 1_048_576).toFixed(1)} MB over the day, the in-memory outbox of the ${sentAtOnce} sent included)`,
  );
  console.log(
    `   back online: ${Math.ceil(waitingValues / 64)} calls, drained in ${ms(tDrain)} ms; still waiting ${pending.size}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

type Layout = 'one folder' | 'a folder per patient';

/**
 * One day's events on a ward workstation, from a seeded generator: 12 staff, 5,000 file
 * events over a ward's letters (most files reopened, ~15 % new each day; in one folder, or in
 * 200 patients' folders with ~10 % of the touches in 40 new ones), 600 logins from a
 * few addresses, 1,800 network events to ~80 addresses (a few new), 600 process starts
 * (system software, in clear, and a few user programs).
 */
function wardDay(seed: number, layout: Layout): Event[] {
  let state = seed * 2_654_435_761;
  const rand = () => (state = (state * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
  const pick = (n: number) => Math.floor(rand() ** 2 * n); // skewed: low indexes are common
  const users = Array.from({ length: 12 }, (_, i) => `nurse.${i}`);
  const events: Event[] = [];
  const base = { timeMs: 1, sequence: 0, severity: Severity.SEVERITY_INFO };
  for (let i = 0; i < 8_000; i++) {
    const user = users[pick(users.length)];
    const id = `${seed}-${i}`;
    const r = rand();
    if (r < 0.625) {
      // Letters: a stable set of 1,200 plus ~15 % of today's touches on new ones.
      const name = rand() < 0.15 ? `new-${seed}-${pick(400)}` : `letter-${pick(1_200)}`;
      // Per patient: 200 known folders, and ~10 % of the letters in one of 40 new each day.
      const folder =
        layout === 'one folder' ? '' : rand() < 0.1 ? `patient-${seed}-${pick(40)}/` : `patient-${pick(200)}/`;
      const path = `/srv/records/ward3/${folder}${name}.pdf`;
      events.push({
        id,
        ...base,
        user,
        detail: {
          $case: 'file',
          value: {
            action: 'write',
            path,
            previousPath: '',
            folderClass: 'phi',
            extension: '.pdf',
            depth: 2,
            sizeBytes: 1,
            entropy: -1,
            owner: user,
            process: '/usr/bin/evince',
            pid: 1,
          },
        },
      });
    } else if (r < 0.7) {
      const ip = `10.3.0.${pick(6)}`;
      events.push({
        id,
        ...base,
        user,
        detail: {
          $case: 'login',
          value: {
            action: 'logon',
            method: 'password',
            service: 'sshd',
            tty: '',
            sourceHost: '',
            sourceIp: ip,
            sourcePort: 1,
            targetUser: '',
            raw: '',
          },
        },
      });
    } else if (r < 0.925) {
      const ip = rand() < 0.03 ? `198.51.100.${seed}${pick(50)}` : `10.0.${pick(8)}.${pick(10)}`;
      events.push({
        id,
        ...base,
        user,
        detail: {
          $case: 'network',
          value: {
            action: 'connect',
            protocol: 'tcp',
            remoteAddress: ip,
            remotePort: 443,
            process: '/usr/lib/firefox/firefox',
            pid: 1,
          },
        },
      });
    } else {
      const exe = rand() < 0.9 ? `/usr/bin/tool${pick(40)}` : `/home/${user}/bin/script${pick(5)}`;
      events.push({
        id,
        ...base,
        user,
        detail: {
          $case: 'process',
          value: { action: 'start', executable: exe, commandLine: '', pid: 1, ppid: 1, sha256: '' },
        },
      });
    }
  }
  return events;
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
