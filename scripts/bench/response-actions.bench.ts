// How long the Linux response actions take on real processes (root: it makes and removes
// one throw-away account). killProcessTree: a tree of ~11 processes with a child that
// keeps forking; revokeSession: an account with 5 processes that end on SIGTERM, without
// logind (the signal fallback). Prints every run sorted, never only the best.
// Run: sudo npx tsx scripts/bench/response-actions.bench.ts [runs]
import { execFileSync, spawn } from 'node:child_process';
import { createResponseActions } from '../../agent/src/response/actions/create-response-actions';
import { ProcFsReader } from '../../agent/src/response/actions/linux/proc-reader';

const runs = Number(process.argv[2] ?? 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (a: number[]) =>
  [...a]
    .sort((x, y) => x - y)
    .map((x) => x.toFixed(0))
    .join(' ');

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new Error('needs root on Linux');
  const actions = createResponseActions({ platform: 'linux' });
  const proc = new ProcFsReader();
  const killMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const script = 'for i in 1 2 3 4 5 6 7 8 9; do sleep 300 & done; (while :; do sleep 0.2 & sleep 0.01; done) & wait';
    const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    await sleep(300);
    const root = proc.read(child.pid ?? -1);
    if (!root) throw new Error('tree did not start');
    const t = performance.now();
    const outcome = await actions.killProcessTree([{ pid: root.pid, startTime: root.startTicks }], { dryRun: false });
    killMs.push(performance.now() - t);
    if (!outcome.ok) console.log('kill failed', outcome);
  }
  const name = `wwbench${process.pid}`;
  execFileSync('useradd', [name]);
  const revokeMs: number[] = [];
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
    for (let i = 0; i < Math.max(3, Math.round(runs / 2)); i++) {
      for (let j = 0; j < 5; j++) spawn('sleep', ['300'], { uid, gid: uid, detached: true, stdio: 'ignore' });
      await sleep(200);
      const t = performance.now();
      const outcome = await actions.revokeSession({ account: { name, uid } }, { dryRun: false });
      revokeMs.push(performance.now() - t);
      if (!outcome.ok) console.log('revoke failed', outcome);
    }
  } finally {
    spawn('pkill', ['-KILL', '-u', name], { stdio: 'ignore' }).on('error', () => undefined);
    await sleep(100);
    execFileSync('userdel', [name], { stdio: 'ignore' });
  }
  console.log(`killProcessTree ms (${killMs.length} runs, ~11 processes, one forking): ${sorted(killMs)}`);
  console.log(`revokeSession ms (${revokeMs.length} runs, 5 processes, no logind): ${sorted(revokeMs)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
