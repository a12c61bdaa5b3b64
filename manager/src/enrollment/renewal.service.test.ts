// The renewal decision against in-memory repositories and a real CA (signing is
// cheap): what is replaced and audited, the per-agent interval, the lost answer.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { createCa, fingerprint, signAgentCsr, type PemPair } from '../pki/certificate-authority';
import { PkiService } from '../pki/pki.service';
import { InMemoryAgentRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { makeKeyAndCsr } from '../testing/test-manager.fixture';
import { RenewalError } from './renewal.errors';
import { RenewalService } from './renewal.service';

const MINUTE = 60_000;
const LIFETIME_MS = 30 * 86_400_000;
let ca: PemPair;
let enrolledPem: string;
beforeAll(async () => {
  ca = await createCa(Date.now());
  enrolledPem = await signAgentCsr(ca, (await makeKeyAndCsr()).csrPem, 'agent-1', Date.now());
});

function sut() {
  const agents = new InMemoryAgentRepository();
  const auditRows = new InMemoryAuditRepository();
  const runner = new FakeTransactionRunner([agents, auditRows]);
  const transactions = fake<TransactionRunner>(runner);
  const clock = new FakeClock(Date.now());
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const pki = new PkiService(
    { ca, server: ca, caFingerprint: fingerprint(ca.certPem), pseudonymKey: Buffer.alloc(32) },
    LIFETIME_MS,
  );
  const agentService = new AgentService(fake(agents), transactions, clock, audit, new AgentSessionsRegistry());
  const service = new RenewalService(transactions, agentService, pki, audit, clock, {
    agentCertificates: { lifetimeMs: LIFETIME_MS, renewMinIntervalMs: 5 * MINUTE },
  });
  const agent: AgentEntity = {
    id: 'agent-1',
    hostname: 'ward3-ws12',
    os: 'linux',
    osVersion: '6.1',
    version: '0.1.0',
    status: 'online',
    enrolledAt: clock.now(),
    lastSeenAt: null,
    certFingerprint: fingerprint(enrolledPem),
    certificatePem: enrolledPem,
    stats: null,
  };
  agents.rows.push(agent);
  const current = () => agents.rows[0];
  const renew = async (presentedFingerprint = current().certFingerprint) =>
    service.renew({ agent: { ...current() }, presentedFingerprint, csrPem: (await makeKeyAndCsr()).csrPem });
  return { service, agents, auditRows, runner, clock, current, renew };
}

describe('RenewalService', () => {
  it('issues a certificate of the configured lifetime for the same agent and records it with its audit row in one transaction', async () => {
    const { renew, current, auditRows, runner, clock } = sut();
    const result = await renew();
    const cert = new X509Certificate(result.certificatePem);
    expect(cert.subject).toBe('CN=agent-1');
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(Math.round((result.notAfter - clock.now()) / 86_400_000)).toBe(30);
    expect(result.caCertificatePem).toBe(ca.certPem);
    expect(current()).toMatchObject({
      certFingerprint: fingerprint(result.certificatePem),
      certificatePem: result.certificatePem,
      previousCertFingerprint: fingerprint(enrolledPem),
      certRenewedAt: clock.now(),
    });
    expect(runner.runs).toBe(1);
    expect(auditRows.rows.map((r) => r.action)).toEqual(['agent.certificate_renewed']);
    expect(auditRows.rows[0].details).toMatchObject({
      serial: cert.serialNumber.toLowerCase(),
      notAfter: result.notAfter,
    });
  });

  it('refuses a renewal within the interval, then allows one after it', async () => {
    const { renew, current, auditRows, clock } = sut();
    await renew();
    const first = current().certFingerprint;
    clock.advance(5 * MINUTE - 1_000);
    await expect(renew()).rejects.toMatchObject({ code: 'rate_limited', message: /299 s ago; try again in 1 s/ });
    expect(current().certFingerprint).toBe(first);
    expect(auditRows.rows).toHaveLength(1);
    clock.advance(1_000);
    await renew();
    expect(current().certFingerprint).not.toBe(first);
    expect(current().previousCertFingerprint).toBe(first);
  });

  it('lets the certificate held before renew again after the interval, when the answer was lost', async () => {
    const { renew, current, clock } = sut();
    await renew();
    const lostOne = current().certFingerprint;
    clock.advance(5 * MINUTE);
    await renew(fingerprint(enrolledPem));
    // The agent still holds the enrolled certificate: that one stays the previous.
    expect(current().previousCertFingerprint).toBe(fingerprint(enrolledPem));
    expect(current().certFingerprint).not.toBe(lostOne);
  });

  it('lets only one of two racing renewals through', async () => {
    const { renew, auditRows, runner } = sut();
    const outcomes = await Promise.allSettled([renew(), renew()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = outcomes.find((o) => o.status === 'rejected')!;
    expect(refusal.reason).toMatchObject({ code: 'rate_limited' });
    expect(runner.rollbacks).toBe(1);
    expect(auditRows.rows).toHaveLength(1);
  });

  it('refuses a revoked agent and a request that is not a self-signed CSR', async () => {
    const { service, current, auditRows } = sut();
    await expect(
      service.renew({ agent: { ...current(), status: 'revoked' }, presentedFingerprint: 'x', csrPem: 'csr' }),
    ).rejects.toMatchObject({ code: 'revoked' });
    const bad = service.renew({ agent: current(), presentedFingerprint: current().certFingerprint, csrPem: 'csr' });
    await expect(bad).rejects.toBeInstanceOf(RenewalError);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_csr' });
    expect(auditRows.rows).toHaveLength(0);
  });
});
