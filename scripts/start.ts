// `npm start`: the manager on the embedded SQLite database plus one local agent
// enrolled to it, watching a demo folder; the manager holds a fleet model (built
// on the first start) for the agent's cold start, and unless `--no-demo` a
// short simulated scenario is replayed into the demo folder and auth log so that
// alerts with reasons appear. Ctrl-C stops everything. The agent's local API (for
// the tray) takes WARDWATCH_LOCAL_API_PORT, default 0 = any free port; the port it
// got is printed and written to <agent data dir>/local-api.json, where the tray looks.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildFleetModel } from './fleet-model/build-fleet-model';
import {
  agentEntry,
  createEnrollmentToken,
  managerEntry,
  repoRoot,
  startAgent,
  startManager,
  writeAgentConfig,
} from './lib/wardwatch';
import { runDemo } from './simulator/demo-driver';

const home = process.env.WARDWATCH_HOME ?? join(repoRoot, '.wardwatch');
const verbose = process.argv.includes('--verbose');
const demoOn = !process.argv.includes('--no-demo');
/** What to stop, newest last: a failed start stops what it had started before it exits. */
const stopAll: (() => Promise<unknown>)[] = [];

async function main(): Promise<void> {
  if (!existsSync(managerEntry) || !existsSync(agentEntry)) {
    console.log('Building WardWatch (first start)…');
    const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }

  const demo = join(home, 'demo');
  const phiFolder = join(demo, 'patient-records');
  const authLog = join(demo, 'auth.log');
  mkdirSync(phiFolder, { recursive: true });
  if (!existsSync(authLog)) appendFileSync(authLog, '');

  // The generated admin password is echoed once, as the manager printed it, and never repeated:
  // it is a one-time password the dashboard makes you replace at the first sign-in.
  let adminPasswordShown = false;
  const echo = (prefix: string) => (line: string) => {
    const shown = /Admin password \(shown once\): /.test(line);
    if (shown) adminPasswordShown = true;
    if (verbose || shown || /"level":"(warn|error|fatal)"/.test(line)) console.log(`[${prefix}] ${line}`);
  };

  const fleetModel = join(home, 'manager', 'fleet-model');
  if (!existsSync(join(fleetModel, 'scoring-state.json'))) {
    console.log('Building the fleet model from simulated hospital data (first start, a few seconds)…');
    const { windows, tookMs } = await buildFleetModel({ out: fleetModel });
    console.log(`Fleet model ready: ${windows} benign windows, ${(tookMs / 1000).toFixed(1)} s.`);
  }

  const managerOptions = {
    dataDir: join(home, 'manager'),
    httpPort: Number(process.env.WARDWATCH_HTTP_PORT ?? 8080),
    grpcPort: Number(process.env.WARDWATCH_GRPC_PORT ?? 50051),
    onLine: echo('manager'),
  };
  const manager = await startManager(managerOptions);
  stopAll.push(() => manager.process.stop());
  let stopping = false;
  const demoRun = new AbortController();
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    demoRun.abort();
    for (const stop of stopAll.reverse()) await stop();
    process.exit(code);
  };
  // Ctrl-C reaches the manager and the agent too (one process group); each stops itself cleanly.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  void manager.process.exited.then((code) => {
    if (stopping) return;
    console.error(`The manager stopped unexpectedly (exit code ${code}).`);
    void shutdown(1);
  });

  const { token } = await createEnrollmentToken(managerOptions, 10);
  const config = writeAgentConfig({
    dataDir: join(home, 'agent'),
    managerAddress: `127.0.0.1:${manager.grpcPort}`,
    caFingerprint: manager.caFingerprint,
    token,
    watchFolders: [{ path: phiFolder, class: 'phi' }],
    authLog,
    localApiPort: Number(process.env.WARDWATCH_LOCAL_API_PORT ?? 0),
    // The demo writes its ransomware-like burst from this process, the parent of the manager and
    // the agent: the kernel-side gate would stop the whole tree. With --no-demo the gate is on.
    ...(demoOn ? { response: { gate: { enabled: false } } } : {}),
  });
  const agent = startAgent(config, { onLine: echo('agent') });
  stopAll.push(() => agent.stop());
  await agent.waitForLog((line) => line.msg === 'agent connected', 60_000);
  // A held port does not stop the agent: it says so (echoed above) and keeps trying.
  const listening = await agent.waitForLog((line) => line.msg === 'local api listening', 1_000).catch(() => null);
  const localApi = listening
    ? `http://127.0.0.1:${String(listening.localApiPort)} (tray: --agent-data-dir ${join(home, 'agent')})`
    : 'not listening yet; the agent retries (see its log)';

  console.log(
    [
      '',
      'WardWatch is running.',
      `  Dashboard:   ${manager.httpUrl}`,
      // Beyond loopback the manager serves HTTPS with its own CA's certificate (manager/README.md).
      ...(manager.httpUrl.startsWith('https:')
        ? [`               trust ${join(home, 'manager', 'pki', 'ca.cert.pem')} in the browser (the manager's CA)`]
        : []),
      `  Sign in:     admin / ${adminPasswordShown ? 'the one-time password shown above (you choose your own at the first sign-in)' : '(the password chosen at the first start; set WARDWATCH_ADMIN_PASSWORD on a new data folder to choose one)'}`,
      '               then add an authenticator app (TOTP): admins must have a second factor',
      `  Agent:       enrolled, watching ${phiFolder}`,
      `               and tailing ${authLog}`,
      `  Agent config ${config}`,
      `  Local API:   ${localApi}`,
      `  Try:         echo test > "${join(phiFolder, 'note.txt')}"`,
      ...(demoOn
        ? [
            '  Demo:        replaying a short simulated scenario now; alerts appear on the Alerts page within a minute (--no-demo turns it off)',
          ]
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  if (demoOn) {
    await runDemo(
      { phiFolder, authLog, hostname: hostname() },
      { signal: demoRun.signal, onLabel: (label) => console.log(`[demo] ${label}`) },
    );
    if (!demoRun.signal.aborted) console.log('[demo] done: see the Events and Alerts pages.');
  }
}

main().catch(async (error: unknown) => {
  console.error(`WardWatch did not start: ${error instanceof Error ? error.message : String(error)}`);
  // A manager or agent already started would otherwise outlive this script.
  for (const stop of stopAll.reverse()) await stop().catch(() => undefined);
  process.exit(1);
});
