// Diagnostic: a sampling CPU profile of one window of the agent's life, plus the
// CPU of each of its threads (/proc/self/task/*/stat) over the same window.
// Loaded into the agent by the footprint bench:
//   WW_AGENT_NODE_ARGS="--require $PWD/scripts/bench/lib/cpu-profile-hook.cjs" \
//   WW_PROFILE_DIR=/tmp/prof WW_PROFILE_START_S=55 WW_PROFILE_SECONDS=15 npx tsx scripts/bench/agent-footprint.bench.ts
// Writes <dir>/agent-<pid>.cpuprofile (open in Chrome DevTools) and
// <dir>/agent-<pid>.txt: self time per function and per source file, and per-thread CPU.
// Costs the agent CPU while it samples: compare shares, not the absolute figures.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const { Session } = require('node:inspector');
const { readdirSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.WW_PROFILE_DIR || '/tmp';
const startS = Number(process.env.WW_PROFILE_START_S || 0);
const seconds = Number(process.env.WW_PROFILE_SECONDS || 15);
const intervalUs = Number(process.env.WW_PROFILE_INTERVAL_US || 500);

function threads() {
  const out = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // thread gone
    }
  }
  return out;
}

function summarise(profile, before, after, wallS) {
  const self = new Map();
  const byFile = new Map();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i] || 0));
  }
  let total = 0;
  for (const [id, us] of dt) {
    const n = nodes.get(id);
    const cf = n.callFrame;
    const url = cf.url.replace(/^file:\/\//, '').replace(/.*\/(agent|shared|proto)\/(dist|src)\//, '$1/');
    const key = `${cf.functionName || '(anon)'}  ${url}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) || 0) + us);
    const fileKey = url || cf.functionName;
    byFile.set(fileKey, (byFile.get(fileKey) || 0) + us);
    if (cf.functionName !== '(idle)') total += us;
  }
  const lines = [`window ${wallS.toFixed(1)} s; busy samples ${(total / 1e3).toFixed(0)} ms on the main thread`];
  lines.push('', 'per thread (CPU ms in the window):');
  for (const [tid, t] of after) {
    const b = before.get(tid);
    const ms = (t.ticks - (b ? b.ticks : 0)) * 10;
    if (ms > 0) lines.push(`  ${String(ms).padStart(7)}  ${t.name} (${tid})`);
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) => `  ${(us / 1e3).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`,
      );
  lines.push('', 'self time per file:', ...top(byFile, 40), '', 'self time per function:', ...top(self, 80));
  return lines.join('\n');
}

setTimeout(() => {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () =>
    session.post('Profiler.setSamplingInterval', { interval: intervalUs }, () =>
      session.post('Profiler.start', () => {
        const before = threads();
        const t0 = Date.now();
        setTimeout(() => {
          session.post('Profiler.stop', (err, result) => {
            const after = threads();
            if (err) return;
            mkdirSync(dir, { recursive: true });
            const base = join(dir, `agent-${process.pid}`);
            writeFileSync(`${base}.cpuprofile`, JSON.stringify(result.profile));
            writeFileSync(`${base}.txt`, summarise(result.profile, before, after, (Date.now() - t0) / 1e3));
            session.disconnect();
          });
        }, seconds * 1_000).unref();
      }),
    ),
  );
}, startS * 1_000).unref();
