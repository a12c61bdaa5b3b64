// Decides an enrollment: the token must be valid and unused, the request must be
// a well-formed CSR signed by its own key; then the agent is registered, the token
// spent and the event audited in one transaction, and the signed certificate returned.
import { Injectable } from '@nestjs/common';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { fingerprint, InvalidCsrError } from '../pki/certificate-authority';
import { PkiService } from '../pki/pki.service';
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
  ) {}

  async enroll(input: EnrollInput): Promise<EnrollResult> {
    if (!input.token) throw new EnrollmentError('invalid_token', 'an enrollment token is required');
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
    return { agentId, certificatePem, caCertificatePem: this.pki.caPem, pseudonymKey: this.pki.pseudonymKey };
  }
}
