// Score → session revoked, end to end, real processes (issue #8): a real manager and a real
// enrolled agent tailing an auth log; a playbook that revokes, automatically and without a
// warning, the sessions of an account under a brute-force attack. Per run, a throw-away
// local account with a few processes (its "session"); twelve failed logons for it are
// appended to the auth log; measured from the append to the last of its processes gone,
// and, from the agent's log, to the command's result. Each run
// uses a new account: a playbook acts once per alert, and an alert is per account and window.
// Root on Linux (useradd, runuser); the accounts are removed at the end.
//   npm run bench:revoke   (= tsc -b && tsx scripts/bench/revoke.bench.ts)
// Runs are WW_GAP_MS apart (12.5 s): the manager lets at most 5 automatic actions a minute
// through per unit (WARDWATCH_RESPONSE_MAX_AUTO_PER_UNIT_PER_MINUTE) and turns the rest into
// approval requests, which the bench counts at the end.
// Settings: WW_RUNS (10), WW_PROCESSES per account (4), WW_GAP_MS (12500).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startFleet } from '../../test/support/fleet';
import { percentile } from './lib/proc-usage';

const RUNS = Number(process.env.WW_RUNS ?? 10);
const PROCESSES = Number(process.env.WW_PROCESSES ?? 4);
const GAP_MS = Number(process.env.WW_GAP_MS ?? 12_500);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sshdLine(account: string): string {
  const at = new Date();
  const stamp = `${at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(at.getUTCDate()).padStart(2, ' ')} ${at.toISOString().slice(11, 19)}`;
  return `${stamp} ward3-ws12 sshd[${4000 + Math.floor(Math.random() * 1000)}]: Failed password for ${account} from 198.51.100.23 port 40022 ssh2\n`;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new Error('needs root on Linux');
  const fleet = await startFleet({});
  const accounts: string[] = [];
  const children: ChildProcess[] = [];
  const rows: { appendToGoneMs: number; appendToResultMs: number | null }[] = [];
  try {
    const login = await fetch(`${fleet.manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'e2e-admin-password-1234' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const created = await fetch(`${fleet.manager.httpUrl}/api/v1/playbooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: fleet.manager.httpUrl },
      body: JSON.stringify({
        name: 'bench: revoke the sessions of an account under attack',
        enabled: true,
        rules: [
          {
            name: 'brute force',
            when: { ruleIds: ['brute-force'] },
            then: [{ kind: 'revoke_session', mode: 'automatic', warningSeconds: 0 }],
          },
        ],
      }),
    });
    if (!created.ok) throw new Error(`playbook refused: ${created.status} ${await created.text()}`);
    await fleet.agent.waitForLog((l) => l.msg === 'command keys pinned', 30_000);
    await fleet.agent.waitForLog((l) => l.msg === 'scoring ready', 60_000).catch(() => undefined);
    console.log(`revoke bench: ${RUNS} runs, ${PROCESSES} processes per account, warning 0 s (playbook automatic)`);
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) await sleep(GAP_MS);
      const account = `wwrv${process.pid % 10_000}r${run}`;
      execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', account]);
      accounts.push(account);
      const pids: number[] = [];
      for (let i = 0; i < PROCESSES; i++) {
        const child = spawn('runuser', ['-u', account, '--', 'sleep', '600'], { stdio: 'ignore', detached: true });
        children.push(child);
        pids.push(child.pid!);
      }
      await sleep(500);
      const seen = fleet.agent.output.length;
      const appendedAt = Date.now();
      appendFileSync(fleet.authLog, Array.from({ length: 12 }, () => sshdLine(account)).join(''));
      while (pids.some(alive) && Date.now() - appendedAt < 20_000) await sleep(5);
      const goneMs = Date.now() - appendedAt;
      await sleep(300);
      const later = fleet.agent.output
        .slice(seen)
        .map((l) => JSON.parse(l) as { time: string; msg: string; outcome?: string; message?: string });
      const at = (match: (l: { msg: string; outcome?: string }) => boolean) => {
        const line = later.find(match);
        return line ? Date.parse(line.time) - appendedAt : null;
      };
      const row = {
        appendToGoneMs: pids.some(alive) ? Number.NaN : goneMs,
        appendToResultMs: at((l) => l.msg === 'command result' && l.outcome === 'done'),
      };
      rows.push(row);
      console.log(
        `run ${run + 1}: ${Number.isNaN(row.appendToGoneMs) ? 'sessions NOT ended within 20 s' : `sessions ended ${row.appendToGoneMs} ms after the failed logons`}` +
          `; agent's result logged at ${row.appendToResultMs ?? '—'} ms` +
          (Number.isNaN(row.appendToGoneMs)
            ? ` (${later.find((l) => l.msg === 'command result')?.message ?? 'no command result from the agent'})`
            : ''),
      );
    }
    const pending = await fetch(`${fleet.manager.httpUrl}/api/v1/approvals?state=pending`, { headers: { cookie } });
    // Over a cap, a revoke waits for a person; other playbooks may propose other actions too.
    const summaries = ((await pending.json()) as { items: { summary: string }[] }).items.map((a) => a.summary);
    const held = summaries.filter((s) => /end the sessions/.test(s)).length;
    console.log(`revokes held for a person's approval (over a per-minute cap): ${held}`);
    console.log(
      `other pending approvals: ${summaries.length - held} (${[...new Set(summaries.filter((s) => !/end the sessions/.test(s)).map((s) => s.slice(0, 60)))].join('; ')})`,
    );
  } finally {
    for (const child of children) child.kill('SIGKILL');
    for (const account of accounts) {
      try {
        execFileSync('userdel', ['--remove', '--force', account], { stdio: 'ignore' });
      } catch {
        // gone already
      }
    }
    await fleet.stop();
  }
  const ended = rows.map((r) => r.appendToGoneMs).filter((v) => !Number.isNaN(v));
  const results = rows.map((r) => r.appendToResultMs).filter((v): v is number => v !== null);
  console.log('\n== score → session revoked bench ==');
  console.log(
    `machine load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  console.log(`sessions ended: ${ended.length}/${rows.length} runs`);
  if (ended.length > 0)
    console.log(
      `failed logons appended → every process of the account gone: p50 ${percentile(ended, 50)} ms, p99 ${percentile(ended, 99)} ms (n=${ended.length})`,
    );
  if (results.length > 0)
    console.log(
      `failed logons appended → agent logs the command's result: p50 ${percentile(results, 50)} ms, p99 ${percentile(results, 99)} ms (n=${results.length})`,
    );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
