// Who is on the other end of a Session stream (or a Renew call): a certificate our
// CA issued, still valid, whose CN names an enrolled agent that is not revoked and
// whose fingerprint is the one we issued to it. Anything else is refused before a
// message is read. Renew alone also accepts the certificate the agent held before its
// last renewal (its answer may have been lost; see enrollment/renewal.service.ts).
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import type { AgentEntity } from '../agents/agent.entity';

/** The part of grpc-js's call.getAuthContext() we read. */
export interface PeerAuth {
  sslPeerCertificate?: PeerCertificate;
}

export type PeerVerdict =
  { ok: true; agent: AgentEntity; fingerprint: string } | { ok: false; code: status; message: string };

export interface PeerChecks {
  issuedByUs(der: Buffer, now: number): boolean;
  findAgent(id: string): Promise<AgentEntity | null>;
  now(): number;
}

export async function identifyPeer(
  auth: PeerAuth | null | undefined,
  checks: PeerChecks,
  options: { acceptPrevious?: boolean } = {},
): Promise<PeerVerdict> {
  const cert = auth?.sslPeerCertificate;
  if (!cert?.raw)
    return {
      ok: false,
      code: status.UNAUTHENTICATED,
      message: 'a client certificate issued by this manager is required (enroll first)',
    };
  if (!checks.issuedByUs(cert.raw, checks.now()))
    return {
      ok: false,
      code: status.UNAUTHENTICATED,
      message: 'the client certificate was not issued by this manager or has expired',
    };
  const cn = cert.subject?.CN;
  const agentId = Array.isArray(cn) ? cn[0] : cn;
  if (!agentId) return { ok: false, code: status.UNAUTHENTICATED, message: 'the client certificate names no agent' };
  const agent = await checks.findAgent(agentId);
  if (!agent)
    return { ok: false, code: status.PERMISSION_DENIED, message: 'this agent is not enrolled here (enroll again)' };
  if (agent.status === 'revoked')
    return { ok: false, code: status.PERMISSION_DENIED, message: 'this agent has been revoked' };
  const seen = `sha256:${createHash('sha256').update(cert.raw).digest('hex')}`;
  const previous = options.acceptPrevious === true && seen === agent.previousCertFingerprint;
  if (seen !== agent.certFingerprint && !previous)
    return {
      ok: false,
      code: status.PERMISSION_DENIED,
      message: 'this certificate is not the one issued to the agent',
    };
  return { ok: true, agent, fingerprint: seen };
}
