// Nobody streams to the manager without an identity it issued, and nobody gets
// an identity without a valid single-use token.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, writeAgentConfig } from '../../scripts/lib/wardwatch';
import { startFleet, type Fleet } from '../support/fleet';

/** The CA certificate the manager sends after its own in the TLS handshake. */
function fetchCaPem(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2'] }, () => {
      const issuer = socket.getPeerCertificate(true).issuerCertificate;
      socket.destroy();
      if (!issuer?.raw) return reject(new Error('the manager sent no CA certificate'));
      resolve(new X509Certificate(issuer.raw).toString());
    });
    socket.once('error', reject);
  });
}

describe('enrollment and identity', () => {
  let fleet: Fleet;
  let client: AgentServiceClient;

  beforeAll(async () => {
    fleet = await startFleet();
    const ca = await fetchCaPem(fleet.manager.grpcPort);
    client = new AgentServiceClient(`127.0.0.1:${fleet.manager.grpcPort}`, credentials.createSsl(Buffer.from(ca)));
  }, 120_000);
  afterAll(async () => {
    client?.close();
    await fleet?.stop();
  });

  it('refuses a session from a client without an issued certificate', async () => {
    const error = await new Promise<ServiceError>((resolve) => {
      const call = client.session();
      call.on('error', resolve);
      call.on('data', () => undefined);
      call.write({ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: 'intruder', host: undefined } } });
    });
    expect([status.UNAUTHENTICATED, status.PERMISSION_DENIED]).toContain(error.code);
  });

  it('refuses enrollment with a token the manager never issued', async () => {
    const error = await new Promise<ServiceError | null>((resolve) =>
      client.enroll(
        { token: 'wwet_not-a-real-token', csrPem: 'x', host: undefined },
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (err) => resolve(err),
      ),
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
  });

  it('stops an agent with a bad token with a clear message and exit code 3', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wardwatch-badtoken-'));
    const config = writeAgentConfig({
      dataDir,
      managerAddress: `127.0.0.1:${fleet.manager.grpcPort}`,
      caFingerprint: fleet.manager.caFingerprint,
      token: 'wwet_forged',
      watchFolders: [],
    });
    const agent = startAgent(config);
    const code = await Promise.race([
      agent.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000)),
    ]);
    if (code === 'timeout') await agent.stop();
    expect(code).toBe(3);
    expect(agent.output.join('\n')).toMatch(/token/i);
  });
});
