import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { IdentityStore } from '../identity/identity-store';
import { createMemoryLogger } from '../logging/logger';
import { AgentError } from '../errors/agent-error';
import { ensureIdentity, type EnrollmentConfig } from './ensure-identity';

/** The run must end with an AgentError with this exit code and message. */
async function expectAgentError(run: Promise<unknown>, exitCode: number, message: RegExp): Promise<void> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentError);
  expect((error as AgentError).exitCode).toBe(exitCode);
  expect((error as AgentError).message).toMatch(message);
}

const fingerprint = `sha256:${'cd'.repeat(32)}`;

function sut(config: Partial<EnrollmentConfig> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-ensure-'));
  const full: EnrollmentConfig = {
    configPath: '/etc/wardwatch/agent.yaml',
    manager: { address: '127.0.0.1:1', caFingerprint: fingerprint },
    enrollment: {},
    ...config,
  };
  const logger = createMemoryLogger();
  const store = new IdentityStore(dataDir);
  const stop = new AbortController();
  const run = () =>
    ensureIdentity(full, {
      store,
      host: { hostname: 'h', os: 'linux', osVersion: '6', agentVersion: '0' },
      logger,
      backoff: new Backoff({ baseMs: 10, maxMs: 20 }),
      signal: stop.signal,
      enrollTimeoutMs: 1_000,
    });
  return { run, store, logger, stop, dataDir };
}

describe('ensureIdentity', () => {
  it('uses a stored identity without contacting anyone', async () => {
    const { run, store } = sut();
    store.save({
      agentId: 'a-1',
      managerAddress: 'x',
      caFingerprint: fingerprint,
      enrolledAt: 1,
      privateKeyPem: 'k',
      certificatePem: 'c',
      caPem: 'ca',
      pseudonymKey: Buffer.alloc(16),
    });
    const { identity, enrolledNow } = await run();
    expect(identity.agentId).toBe('a-1');
    expect(enrolledNow).toBe(false);
  });

  it('refuses a stored identity from another CA than the configured one (exit code 2)', async () => {
    const { run, store } = sut();
    store.save({
      agentId: 'a-1',
      managerAddress: 'x',
      caFingerprint: `sha256:${'00'.repeat(32)}`,
      enrolledAt: 1,
      privateKeyPem: 'k',
      certificatePem: 'c',
      caPem: 'ca',
      pseudonymKey: Buffer.alloc(16),
    });
    await expectAgentError(run(), 2, /issued under CA sha256:0000.*remove identity\.json/);
  });

  it('needs a token until enrolled, and names an unreadable or empty token file (exit code 2)', async () => {
    await expectAgentError(sut().run(), 2, /enrollment\.token or enrollment\.tokenFile is required/);
    await expectAgentError(
      sut({ enrollment: { tokenFile: '/nonexistent/token' } }).run(),
      2,
      /\/nonexistent\/token cannot be read \(ENOENT\)/,
    );
    const empty = join(mkdtempSync(join(tmpdir(), 'ww-token-')), 'token');
    writeFileSync(empty, '\n');
    await expectAgentError(sut({ enrollment: { tokenFile: empty } }).run(), 2, /is empty/);
  });

  it('retries an unreachable manager with backoff until stopped', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const { run, logger, stop } = sut({
      manager: { address: `127.0.0.1:${port}`, caFingerprint: fingerprint },
      enrollment: { token: 't' },
    });
    const result = run().catch((error: unknown) => error);
    const deadline = Date.now() + 5_000;
    while (
      logger.lines.filter((l) => l.msg === 'manager unreachable, retrying enrollment').length < 3 &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    expect(await result).toMatchObject({ exitCode: 0 });
    expect(
      logger.lines.filter((l) => l.msg === 'manager unreachable, retrying enrollment').length,
    ).toBeGreaterThanOrEqual(3);
  });
});
