import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { AgentEntity } from '../agents/agent.entity';
import { identifyPeer, type PeerChecks } from './peer-identity';

const der = Buffer.from('certificate-der');
const fingerprint = `sha256:${createHash('sha256').update(der).digest('hex')}`;

function sut(overrides: { agent?: Partial<AgentEntity> | null; issued?: boolean } = {}) {
  const agent =
    overrides.agent === null
      ? null
      : ({ id: 'agent-1', status: 'offline', certFingerprint: fingerprint, ...overrides.agent } as AgentEntity);
  const checks: PeerChecks = {
    issuedByUs: () => overrides.issued ?? true,
    findAgent: (id) => Promise.resolve(agent && id === agent.id ? agent : null),
    now: () => 1_000,
  };
  const peer = (cn = 'agent-1') => ({
    sslPeerCertificate: { raw: der, subject: { CN: cn } } as unknown as PeerCertificate,
  });
  return { checks, peer };
}

describe('identifyPeer', () => {
  it('accepts the certificate issued to an enrolled agent', async () => {
    const { checks, peer } = sut();
    expect(await identifyPeer(peer(), checks)).toMatchObject({ ok: true, agent: { id: 'agent-1' } });
  });

  it('refuses a call without a certificate', async () => {
    const { checks } = sut();
    expect(await identifyPeer({}, checks)).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
  });

  it('refuses a certificate our CA did not issue', async () => {
    const { checks, peer } = sut({ issued: false });
    expect(await identifyPeer(peer(), checks)).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
  });

  it('refuses an unknown agent, a revoked agent and a certificate that is not the issued one', async () => {
    expect(await identifyPeer(sut().peer('agent-2'), sut().checks)).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
    });
    const revoked = sut({ agent: { status: 'revoked' } });
    expect(await identifyPeer(revoked.peer(), revoked.checks)).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
      message: 'this agent has been revoked',
    });
    const replaced = sut({ agent: { certFingerprint: 'sha256:other' } });
    expect(await identifyPeer(replaced.peer(), replaced.checks)).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
    });
  });

  it('accepts the certificate held before the last renewal only when asked to (Renew), never for a Session', async () => {
    const renewed = sut({ agent: { certFingerprint: 'sha256:newer', previousCertFingerprint: fingerprint } });
    expect(await identifyPeer(renewed.peer(), renewed.checks)).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
    });
    expect(await identifyPeer(renewed.peer(), renewed.checks, { acceptPrevious: true })).toMatchObject({
      ok: true,
      agent: { id: 'agent-1' },
      fingerprint,
    });
    const revoked = sut({
      agent: { status: 'revoked', certFingerprint: 'sha256:newer', previousCertFingerprint: fingerprint },
    });
    expect(await identifyPeer(revoked.peer(), revoked.checks, { acceptPrevious: true })).toMatchObject({ ok: false });
  });
});
