// Decides an enrollment: the token must be valid and unused, the request must be
// a well-formed CSR signed by its own key; then the agent is registered, the token
// spent and the event audited in one transaction, and the signed certificate returned.
//
// Safe to repeat: when the answer was lost (a deadline, a dropped connection), the
// agent asks again with the same token and the same key. The token is spent, but its
// agent exists and that request proves the same key: it gets the same certificate
// again (audited `agent.enroll_repeated`), with no new agent row. Another key with a
// used token is refused as before.
import { Injectable } from '@nestjs/common';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { fingerprint, InvalidCsrError } from '../pki/certificate-authority';
import { PkiService } from '../pki/pki.service';
import { SitePseudonymMode } from '../pseudonym-mode/site-pseudonym-mode';
import { EnrollmentTokenService } from './enrollment-token.service';
import { EnrollmentError } from './enrollment.errors';

export interface EnrollInput {
  token: string;
  csrPem: string;
  host: { hostname: string; os: string; osVersion: string; agentVersion: string };
}

export interface EnrollResult {
  agentId: string;
  certificatePem: string;
  caCertificatePem: string;
  pseudonymKey: Buffer;
}

@Injectable()
export class EnrollmentService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly agents: AgentService,
    private readonly tokens: EnrollmentTokenService,
    private readonly pki: PkiService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly pseudonyms: SitePseudonymMode,
  ) {}

  /** The site key for a new agent: none in OPRF mode (the agent asks pseudonym-oracle/ instead). */
  private get keyForAgents(): Buffer {
    return this.pseudonyms.mode === 'oprf' ? Buffer.alloc(0) : this.pki.pseudonymKey;
  }

  async enroll(input: EnrollInput): Promise<EnrollResult> {
    if (!input.token) throw new EnrollmentError('invalid_token', 'an enrollment token is required');
    const repeated = await this.repeatedEnrollment(input);
    if (repeated) return repeated;
    // The token first: a caller without one learns nothing about what we accept.
    await this.tokens.assertUsable(input.token);
    const agentId = this.random.uuid();
    const now = this.clock.now();
    let certificatePem: string;
    try {
      certificatePem = await this.pki.signAgentCsr(input.csrPem, agentId, now);
    } catch (error) {
      if (error instanceof InvalidCsrError) throw new EnrollmentError('invalid_csr', error.message);
      throw error;
    }
    await this.transactions.run(async (tx) => {
      await this.tokens.consume(tx, input.token, agentId);
      await this.agents.register(
        {
          id: agentId,
          hostname: input.host.hostname,
          os: input.host.os,
          osVersion: input.host.osVersion,
          version: input.host.agentVersion,
          status: 'offline',
          enrolledAt: now,
          lastSeenAt: null,
          certFingerprint: fingerprint(certificatePem),
          certificatePem,
          stats: null,
        },
        tx,
      );
      await this.audit.append(
        {
          actor: `agent:${agentId}`,
          action: 'agent.enroll',
          target: agentId,
          details: { hostname: input.host.hostname },
        },
        tx,
      );
    });
    return { agentId, certificatePem, caCertificatePem: this.pki.caPem, pseudonymKey: this.keyForAgents };
  }

  /** The earlier answer to this token and key, when this request repeats an enrollment that succeeded. */
  private async repeatedEnrollment(input: EnrollInput): Promise<EnrollResult | undefined> {
    const agentId = await this.tokens.usedBy(input.token);
    if (agentId === null) return undefined;
    const agent = await this.agents.find(agentId);
    if (!agent?.certificatePem || agent.status === 'revoked') return undefined;
    if (!(await this.pki.csrMatchesCertificate(input.csrPem, agent.certificatePem))) return undefined;
    await this.audit.append({
      actor: `agent:${agentId}`,
      action: 'agent.enroll_repeated',
      target: agentId,
      details: { hostname: agent.hostname },
    });
    return {
      agentId,
      certificatePem: agent.certificatePem,
      caCertificatePem: this.pki.caPem,
      pseudonymKey: this.keyForAgents,
    };
  }
}
