// The enrollment decision with typed fakes: no database, no real CA.
import type { DataSource, EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditService } from '../audit/audit.service';
import type { Clock, RandomSource } from '../common/clock';
import { DomainError } from '../common/errors';
import { createCa, InvalidCsrError } from '../pki/certificate-authority';
import type { PkiService } from '../pki/pki.service';
import type { EnrollmentTokenService } from './enrollment-token.service';
import { EnrollmentService } from './enrollment.service';

// Any real certificate will do as the signed answer; the fake PKI returns it.
const CERT = (await createCa(Date.now(), 'Fake Agent Cert')).certPem;

function sut(options: { tokenProblem?: string; csrProblem?: string } = {}) {
  const inserted: unknown[] = [];
  const audited: AuditEntry[] = [];
  const consumed: string[] = [];
  const tx = {
    getRepository: () => ({ insert: async (row: unknown) => void inserted.push(row) }),
  } as unknown as EntityManager;
  const db = {
    options: { type: 'postgres' },
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work(tx),
  } as unknown as DataSource;
  const tokens: Pick<EnrollmentTokenService, 'assertUsable' | 'consume'> = {
    assertUsable: async () => {
      if (options.tokenProblem) throw new DomainError('invalid_token', options.tokenProblem);
    },
    consume: async (_tx, token) => void consumed.push(token),
  };
  const pki: Pick<PkiService, 'signAgentCsr' | 'caPem' | 'pseudonymKey'> = {
    signAgentCsr: async () => {
      if (options.csrProblem) throw new InvalidCsrError(options.csrProblem);
      return CERT;
    },
    caPem: 'CA-PEM',
    pseudonymKey: Buffer.alloc(32, 5),
  };
  const audit: Pick<AuditService, 'append'> = { append: async (entry) => (audited.push(entry), {} as never) };
  const clock: Clock = { now: () => 42 };
  const random = { uuid: () => 'agent-uuid' } as RandomSource;
  const service = new EnrollmentService(
    db,
    tokens as EnrollmentTokenService,
    pki as PkiService,
    audit as AuditService,
    clock,
    random,
  );
  return { service, inserted, audited, consumed };
}

const host = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

describe('EnrollmentService', () => {
  it('registers the agent, spends the token and audits, in one transaction', async () => {
    const { service, inserted, audited, consumed } = sut();
    const result = await service.enroll({ token: 'wwet_x', csrPem: 'csr', host });
    expect(result).toEqual({
      agentId: 'agent-uuid',
      certificatePem: CERT,
      caCertificatePem: 'CA-PEM',
      pseudonymKey: Buffer.alloc(32, 5),
    });
    expect(consumed).toEqual(['wwet_x']);
    expect(inserted).toEqual([
      expect.objectContaining({
        id: 'agent-uuid',
        hostname: 'ward3-ws12',
        status: 'offline',
        enrolledAt: 42,
        certFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      }),
    ]);
    expect(audited).toEqual([expect.objectContaining({ action: 'agent.enroll', target: 'agent-uuid' })]);
  });

  it('refuses a missing or unusable token before looking at the request', async () => {
    await expect(sut().service.enroll({ token: '', csrPem: 'csr', host })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    const expired = sut({ tokenProblem: 'enrollment token expired', csrProblem: 'never reached' });
    await expect(expired.service.enroll({ token: 'wwet_x', csrPem: 'csr', host })).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'enrollment token expired',
    });
    expect(expired.inserted).toEqual([]);
  });

  it('refuses a bad request without spending the token', async () => {
    const bad = sut({ csrProblem: 'not a CSR' });
    await expect(bad.service.enroll({ token: 'wwet_x', csrPem: 'csr', host })).rejects.toMatchObject({
      code: 'invalid_csr',
    });
    expect(bad.consumed).toEqual([]);
  });
});
