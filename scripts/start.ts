// `npm start`: the manager on the embedded SQLite database plus one local agent
// enrolled to it, watching a demo folder. Ctrl-C stops both.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentEntry, createEnrollmentToken, managerEntry, repoRoot, startAgent, startManager, writeAgentConfig } from './lib/wardwatch';

const home = process.env.WARDWATCH_HOME ?? join(repoRoot, '.wardwatch');
const verbose = process.argv.includes('--verbose');

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

  let adminPassword: string | undefined;
  const echo = (prefix: string) => (line: string) => {
    const shown = /Admin password \(shown once\): (\S+)/.exec(line);
    if (shown) adminPassword = shown[1];
    if (verbose || shown || /"level":"(warn|error|fatal)"/.test(line)) console.log(`[${prefix}] ${line}`);
  };

  const managerOptions = {
    dataDir: join(home, 'manager'),
    httpPort: Number(process.env.WARDWATCH_HTTP_PORT ?? 8080),
    grpcPort: Number(process.env.WARDWATCH_GRPC_PORT ?? 50051),
    onLine: echo('manager'),
  };
  const manager = await startManager(managerOptions);
  const stopAll: (() => Promise<unknown>)[] = [() => manager.process.stop()];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
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
    localApiPort: 47800,
  });
  const agent = startAgent(config, { onLine: echo('agent') });
  stopAll.push(() => agent.stop());
  await agent.waitForLog((line) => line.msg === 'agent connected', 60_000);

  console.log(
    [
      '',
      'WardWatch is running.',
      `  Dashboard:   ${manager.httpUrl}`,
      `  Sign in:     admin / ${adminPassword ?? '(the password shown at the first start; set WARDWATCH_ADMIN_PASSWORD on a new data folder to choose one)'}`,
      `  Agent:       enrolled, watching ${phiFolder}`,
      `               and tailing ${authLog}`,
      `  Agent config ${config}`,
      `  Try:         echo test > "${join(phiFolder, 'note.txt')}"`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`WardWatch did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
