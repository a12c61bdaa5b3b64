// Renew over the real gRPC port (TLS, the real CA, the real database): who may renew
// (only the agent its client certificate names), what it gets (a new certificate for
// the same agent, on its own key, audited), and what is refused.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient, type ManagerMessage, type RenewResponse } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { createCa, fingerprint, signAgentCsr } from '../pki/certificate-authority';
import {
  acks,
  caPemOf,
  enrollTestAgent,
  eventBatch,
  hello,
  honestEvent,
  type TestAgent,
} from '../testing/test-agent.fixture';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { makeKeyAndCsr, startTestManager, type TestManager } from '../testing/test-manager.fixture';

interface Identity {
  privateKeyPem: string;
  certificatePem: string;
}

/** Certificates of this many seconds, so that the test sees one expire. */
const LIFETIME_S = 8;

describe.each(testEngines)('Renew on $name', ({ make, skip }) => {
  let database: TestDatabase | undefined;
  let manager: TestManager;
  const clients: AgentServiceClient[] = [];

  beforeAll(async () => {
    if (skip) return;
    database = make();
    manager = await startTestManager({
      database: database.config,
      env: {
        WARDWATCH_AGENT_CERT_LIFETIME_SECONDS: String(LIFETIME_S),
        WARDWATCH_AGENT_RENEW_MIN_INTERVAL_SECONDS: '60',
      },
    });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await manager?.stop();
    await database?.dispose();
  });

  const client = (identity?: Identity) => {
    const ca = Buffer.from(caPemOf(manager));
    const creds = identity
      ? credentials.createSsl(ca, Buffer.from(identity.privateKeyPem), Buffer.from(identity.certificatePem))
      : credentials.createSsl(ca);
    const made = new AgentServiceClient(`127.0.0.1:${manager.grpcPort}`, creds);
    clients.push(made);
    return made;
  };

  const renew = (identity: Identity | undefined, csrPem: string) =>
    new Promise<{ error: ServiceError | null; response?: RenewResponse }>((resolve) =>
      client(identity).renew({ csrPem }, new Metadata(), { deadline: Date.now() + 10_000 }, (error, response) =>
        resolve({ error, response }),
      ),
    );

  /** Opens a Session with the identity and sends one batch: the ack, or the refusal. */
  const sessionWorks = (identity: Identity) =>
    new Promise<{ acked: boolean; error?: ServiceError }>((resolve) => {
      const call = client(identity).session({ deadline: Date.now() + 10_000 });
      const got: ManagerMessage[] = [];
      call.on('data', (m: ManagerMessage) => {
        got.push(m);
        if (acks(got).includes(1)) {
          call.cancel();
          resolve({ acked: true });
        }
      });
      call.on('error', (error: ServiceError) => resolve({ acked: false, error }));
      call.on('end', () => resolve({ acked: false }));
      call.write(hello());
      call.write(eventBatch(1, [honestEvent(`renew-${Math.random()}`)]));
    });

  const audited = async (agentId: string) =>
    (await manager.app.get(AuditService).list(500)).filter(
      (r) => r.action === 'agent.certificate_renewed' && r.target === agentId,
    );

  const identityOf = (agent: TestAgent): Identity => agent;

  it.skipIf(skip)(
    'renews a short-lived certificate before it expires; the Session works on the new one after the old expired',
    async () => {
      const agent = await enrollTestAgent(manager);
      const original = new X509Certificate(agent.certificatePem);
      const originalExpiry = Date.parse(original.validTo);
      expect(originalExpiry - Date.now()).toBeLessThanOrEqual(LIFETIME_S * 1_000);

      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const next = await makeKeyAndCsr('anything-the-agent-says');
      const { error, response } = await renew(identityOf(agent), next.csrPem);
      expect(error).toBeNull();
      const renewed = new X509Certificate(response!.certificatePem);
      expect(renewed.subject).toBe(`CN=${agent.agentId}`);
      expect(renewed.checkIssued(new X509Certificate(caPemOf(manager)))).toBe(true);
      expect(renewed.checkPrivateKey(createPrivateKey(next.privateKeyPem))).toBe(true);
      expect(Date.parse(renewed.validTo)).toBeGreaterThan(originalExpiry);
      expect(response!.caCertificatePem).toBe(caPemOf(manager));

      // The register and the audit log know the new certificate.
      const stored = await manager.app.get(AgentService).get(agent.agentId);
      expect(stored.certFingerprint).toBe(fingerprint(response!.certificatePem));
      expect(stored.certificatePem).toBe(response!.certificatePem);
      const rows = await audited(agent.agentId);
      expect(rows).toHaveLength(1);
      expect(rows[0].details).toMatchObject({
        serial: renewed.serialNumber.toLowerCase(),
        notAfter: Date.parse(renewed.validTo),
        fingerprint: fingerprint(response!.certificatePem),
        replaced: fingerprint(agent.certificatePem),
      });

      // Past the original's expiry: the new certificate opens a Session, the old one nothing.
      const renewedIdentity = { privateKeyPem: next.privateKeyPem, certificatePem: response!.certificatePem };
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, originalExpiry - Date.now()) + 1_000));
      expect(await sessionWorks(renewedIdentity)).toEqual({ acked: true });
      const old = await sessionWorks(identityOf(agent));
      expect(old.acked).toBe(false);
      expect(old.error?.code).toBe(status.UNAUTHENTICATED);
      // Nor can the expired certificate renew.
      const late = await renew(identityOf(agent), (await makeKeyAndCsr()).csrPem);
      expect(late.error).toMatchObject({ code: status.UNAUTHENTICATED });
    },
    30_000,
  );

  it.skipIf(skip)(
    'refuses a second renewal within the interval, also with the certificate held before, and the superseded one for a Session',
    async () => {
      const agent = await enrollTestAgent(manager);
      const first = await makeKeyAndCsr();
      const renewed = await renew(identityOf(agent), first.csrPem);
      expect(renewed.error).toBeNull();
      const renewedIdentity = { privateKeyPem: first.privateKeyPem, certificatePem: renewed.response!.certificatePem };

      const again = await renew(renewedIdentity, (await makeKeyAndCsr()).csrPem);
      expect(again.error).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
      expect(again.error?.details).toMatch(/renewed its certificate \d+ s ago; try again in \d+ s/);
      // The certificate held before (its answer may have been lost) may renew, later: not now.
      const lost = await renew(identityOf(agent), (await makeKeyAndCsr()).csrPem);
      expect(lost.error).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
      expect(await audited(agent.agentId)).toHaveLength(1);
      // A superseded certificate opens no Session.
      const old = await sessionWorks(identityOf(agent));
      expect(old.error).toMatchObject({ code: status.PERMISSION_DENIED });
      expect(await sessionWorks(renewedIdentity)).toEqual({ acked: true });
    },
  );

  it.skipIf(skip)('lets one of two simultaneous renewals with the same certificate through', async () => {
    const agent = await enrollTestAgent(manager);
    const [a, b] = await Promise.all([
      renew(identityOf(agent), (await makeKeyAndCsr()).csrPem),
      renew(identityOf(agent), (await makeKeyAndCsr()).csrPem),
    ]);
    expect([a.error?.code ?? 'ok', b.error?.code ?? 'ok'].sort()).toEqual(['ok', status.RESOURCE_EXHAUSTED].sort());
    const winner = (a.response ?? b.response)!;
    expect((await manager.app.get(AgentService).get(agent.agentId)).certFingerprint).toBe(
      fingerprint(winner.certificatePem),
    );
    expect(await audited(agent.agentId)).toHaveLength(1);
  });

  it.skipIf(skip)('refuses a caller without a client certificate or with one from another CA', async () => {
    const { csrPem } = await makeKeyAndCsr();
    const none = await renew(undefined, csrPem);
    expect(none.error).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(none.error?.details).toMatch(/client certificate/);

    const foreignCa = await createCa(Date.now(), 'Somebody Else CA');
    const keys = await makeKeyAndCsr();
    const foreign = {
      privateKeyPem: keys.privateKeyPem,
      certificatePem: await signAgentCsr(foreignCa, keys.csrPem, 'x', Date.now()),
    };
    const refused = await renew(foreign, csrPem);
    expect(refused.error?.code).toBe(status.UNAUTHENTICATED);
  });

  it.skipIf(skip)('refuses an agent that is revoked or not enrolled here, whatever its certificate says', async () => {
    const agent = await enrollTestAgent(manager);
    await manager.app.get(AgentService).revoke(agent.agentId, 'user:test');
    const revoked = await renew(identityOf(agent), (await makeKeyAndCsr()).csrPem);
    expect(revoked.error).toMatchObject({ code: status.PERMISSION_DENIED, details: 'this agent has been revoked' });

    // Our own CA's signature on a name the register does not know.
    const ca = {
      certPem: caPemOf(manager),
      keyPem: readFileSync(join(manager.config.dataDir, 'pki', 'ca.key.pem'), 'utf8'),
    };
    const keys = await makeKeyAndCsr();
    const stranger = {
      privateKeyPem: keys.privateKeyPem,
      certificatePem: await signAgentCsr(ca, keys.csrPem, 'agent-nobody-enrolled', Date.now()),
    };
    const unknown = await renew(stranger, (await makeKeyAndCsr()).csrPem);
    expect(unknown.error).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await audited(agent.agentId)).toHaveLength(0);
  });

  it.skipIf(skip)(
    'refuses a malformed, oversized or tampered request with INVALID_ARGUMENT and renews nothing',
    async () => {
      const agent = await enrollTestAgent(manager);
      const { csrPem } = await makeKeyAndCsr();
      const bytes = Buffer.from(csrPem.split('\n').slice(1, -2).join(''), 'base64');
      bytes[bytes.length - 80] ^= 0xff;
      const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64')}\n-----END CERTIFICATE REQUEST-----`;
      for (const bad of ['', 'not a request', 'x'.repeat(20_000), tampered]) {
        const { error } = await renew(identityOf(agent), bad);
        expect(error?.code, bad.slice(0, 30)).toBe(status.INVALID_ARGUMENT);
      }
      expect(await audited(agent.agentId)).toHaveLength(0);
      const stored = await manager.app.get(AgentService).get(agent.agentId);
      expect(stored.certFingerprint).toBe(fingerprint(agent.certificatePem));
    },
  );
});
