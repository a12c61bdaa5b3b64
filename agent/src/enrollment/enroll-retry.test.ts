// Enrollment whose answer is lost, against a real gRPC manager over TLS: every
// attempt sends the same key (also after a restart), a manager that recognises it
// enrolls the agent, and one that says "already used" gets a one-line explanation
// and exit code 3.
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '@wardwatch/shared';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentError, ExitCode } from '../errors/agent-error';
import { IdentityStore } from '../identity/identity-store';
import { createMemoryLogger } from '../logging/logger';
import { csrPublicKey, ENROLL_TOKEN, EnrollManager, type RepeatPolicy } from './enroll-manager.fixture';
import { ensureIdentity } from './ensure-identity';
import { pemFingerprint } from './fetch-ca';
import { PENDING_KEY_FILE } from './pending-key';
import { createTestPki, type TestPki } from './test-pki.fixture';

let pki: TestPki;
const cleanup: (() => void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

async function managerFor(repeat: RepeatPolicy, loseAnswers: number): Promise<EnrollManager> {
  const manager = new EnrollManager(pki, repeat);
  manager.loseAnswers = loseAnswers;
  await manager.listen();
  cleanup.push(() => manager.stop());
  return manager;
}

function agentFor(manager: EnrollManager, dataDir = mkdtempSync(join(tmpdir(), 'ww-enroll-retry-'))) {
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const logger = createMemoryLogger();
  const stop = new AbortController();
  const store = new IdentityStore(dataDir);
  const run = () =>
    ensureIdentity(
      {
        configPath: join(dataDir, 'agent.yaml'),
        manager: { address: `127.0.0.1:${manager.port}`, caFingerprint: pemFingerprint(pki.caPem) },
        enrollment: { token: ENROLL_TOKEN },
      },
      {
        store,
        host: { hostname: 'ward3-ws12', os: 'linux', osVersion: '6', agentVersion: '0' },
        logger,
        backoff: new Backoff({ baseMs: 10, maxMs: 20 }),
        signal: stop.signal,
        enrollTimeoutMs: 400,
      },
    );
  return { run, logger, stop, dataDir, store };
}

const spki = (privateKeyPem: string) =>
  createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');

describe('enrollment when an answer is lost', { timeout: 30_000 }, () => {
  it('sends the same key again and is enrolled by a manager that recognises it', async () => {
    const manager = await managerFor('same-certificate', 2);
    const agent = agentFor(manager);
    const { identity } = await agent.run();

    expect(manager.requests).toHaveLength(3);
    expect(new Set(manager.requests.map((r) => r.csrPem)).size).toBe(1);
    expect(csrPublicKey(manager.requests[0].csrPem)).toBe(spki(identity.privateKeyPem));
    expect(identity.agentId).toBe('agent-9');
    expect(agent.logger.lines.filter((l) => l.msg === 'manager unreachable, retrying enrollment')).toHaveLength(2);
    // The key of the unfinished enrollment is gone once the identity is stored.
    expect(existsSync(join(agent.dataDir, PENDING_KEY_FILE))).toBe(false);
    expect(agent.store.load().privateKeyPem).toBe(identity.privateKeyPem);
  });

  it('keeps the key across a restart: a new run re-sends the key the stopped one sent', async () => {
    const manager = await managerFor('same-certificate', 100); // the first run never hears back
    const first = agentFor(manager);
    const stopped = first.run().catch((error: unknown) => error);
    while (!first.logger.lines.some((l) => l.msg === 'manager unreachable, retrying enrollment'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    first.stop.abort();
    expect(await stopped).toMatchObject({ exitCode: ExitCode.ok });
    expect(statSync(join(first.dataDir, PENDING_KEY_FILE)).mode & 0o777).toBe(0o600);
    manager.loseAnswers = 0;

    const second = agentFor(manager, first.dataDir);
    const { identity } = await second.run();
    expect(new Set(manager.requests.map((r) => r.csrPem)).size).toBe(1);
    expect(csrPublicKey(manager.requests[0].csrPem)).toBe(spki(identity.privateKeyPem));
  });

  it('says what happened and what to do, exit code 3, when the manager then calls the token used', async () => {
    const manager = await managerFor('refuse', 1);
    const agent = agentFor(manager);
    const error = await agent.run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).exitCode).toBe(ExitCode.enrollmentRefused);
    const message = (error as AgentError).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('enrollment token already used');
    expect(message).toContain('an Enroll answer was lost (DEADLINE_EXCEEDED)');
    expect(message).toMatch(/remove the agent of host "ward3-ws12" that never connected .* new token/);
    expect(new Set(manager.requests.map((r) => r.csrPem)).size).toBe(1);
    expect(existsSync(join(agent.dataDir, PENDING_KEY_FILE))).toBe(false);
  });
});
