// The enrollment decision against in-memory repositories: no database, no real CA.
import { beforeAll, describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/hash';
import { createCa, InvalidCsrError } from '../pki/certificate-authority';
import type { TransactionRunner } from '../database/transaction.runner';
import type { PkiService } from '../pki/pki.service';
import { InMemoryAgentRepository, InMemoryEnrollmentTokenRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { EnrollmentTokenService } from './enrollment-token.service';
import { EnrollmentService } from './enrollment.service';
import { SitePseudonymMode } from '../pseudonym-mode/site-pseudonym-mode';

// Any real certificate will do as the signed answer; the fake PKI returns it.
let CERT = '';
beforeAll(async () => {
  CERT = (await createCa(Date.now(), 'Fake Agent Cert')).certPem;
});

function sut(options: { csrProblem?: string; pseudonymMode?: 'local-key' | 'oprf' } = {}) {
  const agents = new InMemoryAgentRepository();
  const tokens = new InMemoryEnrollmentTokenRepository();
  const auditRows = new InMemoryAuditRepository();
  const runner = new FakeTransactionRunner([agents, tokens, auditRows]);
  const transactions = fake<TransactionRunner>(runner);
  const clock = new FakeClock(1_000_000);
  const random = new FakeRandom();
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const tokenService = new EnrollmentTokenService(fake(tokens), transactions, clock, random, audit);
  const pki = fake<Pick<PkiService, 'signAgentCsr' | 'csrMatchesCertificate' | 'caPem' | 'pseudonymKey'>>({
    // In this fake, a request "proves" the issued key when its text is 'same-key'.
    csrMatchesCertificate: (csrPem) => Promise.resolve(csrPem === 'same-key'),
    signAgentCsr: () =>
      options.csrProblem ? Promise.reject(new InvalidCsrError(options.csrProblem)) : Promise.resolve(CERT),
    caPem: 'CA-PEM',
    pseudonymKey: Buffer.alloc(32, 5),
  }) as PkiService;
  const agentService = new AgentService(fake(agents), transactions, clock, audit, new AgentSessionsRegistry());
  // The site's mode as recorded (pseudonym-mode/); these tests hand out the key unless told otherwise.
  const mode = new SitePseudonymMode(options.pseudonymMode ?? 'local-key');
  const service = new EnrollmentService(transactions, agentService, tokenService, pki, audit, clock, random, mode);
  return { service, tokenService, agents, tokens, auditRows, clock };
}

const host = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

describe('EnrollmentService', () => {
  it('registers the agent, spends the token and audits, in one transaction', async () => {
    const { service, tokenService, agents, tokens, auditRows } = sut();
    const { token } = await tokenService.create(10, 'admin');
    const result = await service.enroll({ token, csrPem: 'csr', host });
    expect(result).toMatchObject({
      certificatePem: CERT,
      caCertificatePem: 'CA-PEM',
      pseudonymKey: Buffer.alloc(32, 5),
    });
    expect(agents.rows).toEqual([
      expect.objectContaining({
        id: result.agentId,
        hostname: 'ward3-ws12',
        status: 'offline',
        enrolledAt: 1_000_000,
        certFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown,
      }),
    ]);
    expect(tokens.rows[0]).toMatchObject({ tokenHash: sha256Hex(token), usedByAgent: result.agentId });
    expect(auditRows.actions()).toEqual(['enrollment_token.create', 'agent.enroll']);
  });

  it('hands out no pseudonym key in OPRF mode', async () => {
    const { service, tokenService } = sut({ pseudonymMode: 'oprf' });
    const { token } = await tokenService.create(10, 'admin');
    const result = await service.enroll({ token, csrPem: 'csr', host });
    expect(result.pseudonymKey).toHaveLength(0);
  });

  it('refuses a missing, unknown, expired or spent token before looking at the request', async () => {
    const { service, tokenService, clock, agents } = sut({ csrProblem: 'never reached' });
    await expect(service.enroll({ token: '', csrPem: 'csr', host })).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(service.enroll({ token: 'wwet_nope', csrPem: 'csr', host })).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'unknown enrollment token',
    });
    const { token } = await tokenService.create(1, 'admin');
    clock.advance(60_000);
    await expect(service.enroll({ token, csrPem: 'csr', host })).rejects.toMatchObject({
      message: 'enrollment token expired',
    });
    expect(agents.rows).toEqual([]);
  });

  it('lets a token enroll one agent only', async () => {
    const { service, tokenService, agents } = sut();
    const { token } = await tokenService.create(10, 'admin');
    await service.enroll({ token, csrPem: 'csr', host });
    await expect(service.enroll({ token, csrPem: 'csr', host })).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'enrollment token already used',
    });
    expect(agents.rows).toHaveLength(1);
  });

  it('answers a repeated enrollment with the same token and key with the same certificate, once registered', async () => {
    const { service, tokenService, agents, auditRows } = sut();
    const { token } = await tokenService.create(10, 'admin');
    const first = await service.enroll({ token, csrPem: 'same-key', host });
    const again = await service.enroll({ token, csrPem: 'same-key', host });
    expect(again).toEqual(first);
    expect(agents.rows).toHaveLength(1);
    expect(agents.rows[0].certificatePem).toBe(first.certificatePem);
    expect(auditRows.actions()).toEqual(['enrollment_token.create', 'agent.enroll', 'agent.enroll_repeated']);
  });

  it('refuses a bad request without spending the token', async () => {
    const { service, tokenService, tokens } = sut({ csrProblem: 'not a CSR' });
    const { token } = await tokenService.create(10, 'admin');
    await expect(service.enroll({ token, csrPem: 'csr', host })).rejects.toMatchObject({ code: 'invalid_csr' });
    expect(tokens.rows[0].usedAt).toBeNull();
  });

  it('rolls the agent and the spent token back when the audit row cannot be written', async () => {
    const { service, tokenService, agents, tokens, auditRows } = sut();
    const { token } = await tokenService.create(10, 'admin');
    auditRows.failNextInsert = new Error('disk full');
    await expect(service.enroll({ token, csrPem: 'csr', host })).rejects.toThrow('disk full');
    expect(agents.rows).toEqual([]);
    expect(tokens.rows[0].usedAt).toBeNull();
  });
});
