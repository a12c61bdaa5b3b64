// A second manager started by mistake on the ports and data folder of a running one
// (a second `npm start`) must fail at once, say why in its first line, write nothing
// to the database (the running manager's agents stay online) and leave no process; one
// whose pseudonym mode contradicts the site's recorded one fails the same way.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AgentPage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managerEntry } from '../../scripts/lib/wardwatch';
import { ADMIN_PASSWORD, eventually, signIn, startFleet, type Fleet } from '../support/fleet';

interface Attempt {
  code: number | null;
  stdout: string[];
  stderr: string[];
}

function startSecond(env: NodeJS.ProcessEnv): Promise<Attempt> {
  const child = spawn(process.execPath, [managerEntry], {
    env: { ...process.env, WARDWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD, WARDWATCH_GRPC_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('a second manager on the same ports and data folder', () => {
  let fleet: Fleet;
  let get: (path: string) => Promise<Response>;
  let ports: { http: string; grpc: string };

  beforeAll(async () => {
    fleet = await startFleet();
    get = await signIn(fleet.manager.httpUrl);
    ports = { http: new URL(fleet.manager.httpUrl).port, grpc: String(fleet.manager.grpcPort) };
    await eventually(
      async () => ((await agentStatuses()).includes('online') ? true : undefined),
      15_000,
      'agent online',
    );
  }, 120_000);
  afterAll(async () => fleet?.stop());

  const agentStatuses = async () =>
    AgentPage.parse(await (await get('/api/v1/agents')).json()).items.map((a) => a.status);

  const expectOneLineFailure = (attempt: Attempt, port: string) => {
    expect(attempt.code).toBe(1);
    expect(attempt.stderr[0]).toMatch(new RegExp(`^WardWatch manager failed to start: .*:${port} is already in use`));
    expect(attempt.stderr).toHaveLength(1);
    // No stack traces or start-up chatter around it: at most the gRPC port's line and the error's JSON line.
    expect(attempt.stdout.length).toBeLessThanOrEqual(2);
    expect(attempt.stdout.filter((line) => /"level":"error"/.test(line))).toHaveLength(1);
  };

  it('fails on the taken gRPC port, and the running agents stay online', async () => {
    const attempt = await startSecond({
      WARDWATCH_DATA_DIR: fleet.managerOptions.dataDir,
      WARDWATCH_HTTP_PORT: ports.http,
      WARDWATCH_GRPC_PORT: ports.grpc,
    });
    expectOneLineFailure(attempt, ports.grpc);
    expect(attempt.stderr[0]).toContain("agents' gRPC port");
    expect(await agentStatuses()).toEqual(['online']);
  }, 60_000);

  it('fails on the taken HTTP port after binding its own gRPC port, closes it, and writes nothing', async () => {
    const attempt = await startSecond({
      WARDWATCH_DATA_DIR: fleet.managerOptions.dataDir,
      WARDWATCH_HTTP_PORT: ports.http,
      WARDWATCH_GRPC_PORT: '0',
    });
    expectOneLineFailure(attempt, ports.http);
    expect(attempt.stderr[0]).toContain('HTTP port');
    expect(await agentStatuses()).toEqual(['online']);
    // The first manager still serves its agent.
    expect((await fetch(`${fleet.manager.httpUrl}/health/ready`)).status).toBe(200);
  }, 60_000);

  it("fails in one line, before any port, when its pseudonym mode contradicts the site's recorded one", async () => {
    // The fleet's new site recorded oprf at its first start (no mode set: the default): local-key now is refused.
    const attempt = await startSecond({
      WARDWATCH_DATA_DIR: fleet.managerOptions.dataDir,
      WARDWATCH_HTTP_PORT: '0',
      WARDWATCH_GRPC_PORT: '0',
      WARDWATCH_PSEUDONYM_MODE: 'local-key',
    });
    expect(attempt.code).toBe(2);
    expect(attempt.stderr).toEqual([
      expect.stringMatching(
        /^WardWatch manager: WARDWATCH_PSEUDONYM_MODE=local-key, but this site's pseudonyms are recorded in oprf mode/,
      ),
    ]);
    expect(await agentStatuses()).toEqual(['online']);
  }, 60_000);
});
