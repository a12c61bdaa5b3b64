// The agent as a real process (its CLI run by tsx from source) against a small
// real gRPC manager over TLS: enrolls, streams a file event and a login event
// pseudonymised, answers on its local API, stops cleanly on SIGINT; and the
// exit codes for a bad config (2) and a refused token (3).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemFingerprint } from '../enrollment/fetch-ca';
import { createTestPki, type TestPki } from '../enrollment/test-pki.fixture';
import { GOOD_TOKEN, TestManager } from '../transport/test-manager.fixture';

const mainTs = join(__dirname, 'main.ts');
type Line = Record<string, unknown>;

interface AgentProcess {
  child: ChildProcess;
  lines: Line[];
  stderr: string[];
  exited: Promise<number | null>;
  waitFor(msg: string, timeoutMs?: number): Promise<Line>;
}

function startAgent(args: string[]): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Line);
    } catch {
      stderr.push(`(stdout) ${line}`);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (msg: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find((l) => l.msg === msg);
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(
          `no "${msg}" log line; output:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('\n')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, lines, stderr, exited, waitFor };
}

let pki: TestPki;
let manager: TestManager;
let root: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  manager = new TestManager(pki);
  await manager.listen();
  root = mkdtempSync(join(tmpdir(), 'ww-cli-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await manager?.stop();
  rmSync(root, { recursive: true, force: true });
});

function writeConfig(name: string, body: Record<string, unknown>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'agent.yaml');
  const config = {
    manager: { address: `127.0.0.1:${manager.port}`, caFingerprint: pemFingerprint(pki.caPem) },
    dataDir: join(dir, 'data'),
    localApi: { port: 0 },
    heartbeatSeconds: 1,
    ...body,
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

describe('wardwatch-agent CLI (real process)', { timeout: 60_000 }, () => {
  it('enrolls, streams pseudonymised file and login events, serves its local API and stops cleanly', async () => {
    const phi = join(root, 'records');
    const authLog = join(root, 'auth.log');
    mkdirSync(phi);
    writeFileSync(authLog, '');
    const config = writeConfig('ok', {
      enrollment: { token: GOOD_TOKEN },
      watch: { folders: [{ path: phi, class: 'phi' }] },
      logins: { authLog },
    });
    const agent = startAgent(['run', '--config', config]);
    children.push(agent.child);

    expect((await agent.waitFor('agent enrolled')).agentId).toBe('agent-7');
    const ready = await agent.waitFor('agent ready');
    await agent.waitFor('agent connected');
    const dataDir = join(root, 'ok', 'data');
    expect(statSync(join(dataDir, 'agent-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'pseudonym.key')).mode & 0o777).toBe(0o600);
    // The whole data folder is the agent's account's alone (item 7 of issue 13).
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of ['agent-cert.pem', 'ca-cert.pem', 'identity.json', 'local-api.token', 'local-api.json'])
      expect({ file, mode: statSync(join(dataDir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });

    writeFileSync(join(phi, 'discharge-summary.pdf'), 'x'.repeat(2_048));
    appendFileSync(
      authLog,
      'Nov 22 10:11:12 ward3-ws12 sshd[4242]: Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2\n',
    );
    const deadline = Date.now() + 15_000;
    const events = () => manager.received.flatMap((m) => (m.body?.$case === 'events' ? m.body.value.events : []));
    while (!(events().some((e) => e.detail?.$case === 'file') && events().some((e) => e.detail?.$case === 'login'))) {
      if (Date.now() > deadline) throw new Error(`events not received: ${JSON.stringify(events())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sent = JSON.stringify(events());
    for (const secret of ['discharge-summary', phi, 'nurse.jones', '203.0.113.7', 'ward3-ws12'])
      expect(sent).not.toContain(secret);
    const file = events().find((e) => e.detail?.$case === 'file')!;
    expect(file.detail?.value).toMatchObject({
      action: 'create',
      folderClass: 'phi',
      extension: '.pdf',
      depth: 1,
      sizeBytes: 2_048,
    });
    const login = events().find((e) => e.detail?.$case === 'login')!;
    expect(login.user).toMatch(/^u_[0-9a-f]{16}$/);
    expect(login.detail?.value).toMatchObject({ action: 'failed_logon', service: 'sshd' });
    expect(login.detail?.$case === 'login' && login.detail.value.sourceIp).toMatch(/^ip_/);

    const token = readFileSync(join(dataDir, 'local-api.token'), 'utf8').trim();
    const port = Number(ready.localApiPort);
    expect(JSON.parse(readFileSync(join(dataDir, 'local-api.json'), 'utf8'))).toEqual({ port });
    const status = (await (
      await fetch(`http://127.0.0.1:${port}/v1/status`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { manager: { connected: boolean }; counts: { collected: number } };
    expect(status.manager.connected).toBe(true);
    expect(status.counts.collected).toBeGreaterThanOrEqual(2);

    const stoppedAt = Date.now();
    agent.child.kill('SIGINT');
    expect(await agent.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    expect(agent.lines.some((l) => l.msg === 'agent stopped')).toBe(true);
  });

  it('exits with 3 and says so when the manager refuses the token', async () => {
    const agent = startAgent(['run', '--config', writeConfig('bad-token', { enrollment: { token: 'wwet_forged' } })]);
    children.push(agent.child);
    expect(await agent.exited).toBe(3);
    expect(agent.stderr.join('\n')).toMatch(/refused the enrollment token/);
  });

  it('exits with 2 naming the field for a bad config, and with 2 for missing arguments', async () => {
    const config = writeConfig('bad-config', { heartbeatSeconds: 'often' });
    const agent = startAgent(['run', '--config', config]);
    children.push(agent.child);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain(`${config}: heartbeatSeconds:`);
    const noArgs = startAgent(['run']);
    expect(await noArgs.exited).toBe(2);
  });
});
