// Decides a certificate renewal for an agent the gRPC edge already identified by
// the client certificate it presented (never by anything in the request): at most
// one renewal per agent within the configured interval, a CSR signed by its own key,
// then a new certificate for the same agent id. The agent's certificate, its
// fingerprint and the renewal time are replaced, and audited, in one transaction.
//
// The certificate the agent presented stays acceptable for one more Renew (and only
// for Renew): if this answer is lost on the way, the agent still holds only that one,
// and can ask again once the interval has passed instead of needing a new enrollment.
import { Inject, Injectable } from '@nestjs/common';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { certificateFacts, fingerprint, InvalidCsrError } from '../pki/certificate-authority';
import { PkiService } from '../pki/pki.service';
import { RenewalError } from './renewal.errors';

export interface RenewInput {
  /** The agent its client certificate names, checked by the edge (ours, valid, enrolled, not revoked). */
  agent: AgentEntity;
  /** sha256 fingerprint of the client certificate presented on this call. */
  presentedFingerprint: string;
  csrPem: string;
}

export interface RenewResult {
  certificatePem: string;
  caCertificatePem: string;
  notAfter: number;
}

@Injectable()
export class RenewalService {
  private readonly minIntervalMs: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly agents: AgentService,
    private readonly pki: PkiService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) config: Pick<ManagerConfig, 'agentCertificates'>,
  ) {
    this.minIntervalMs = config.agentCertificates.renewMinIntervalMs;
  }

  async renew(input: RenewInput): Promise<RenewResult> {
    const { agent } = input;
    const now = this.clock.now();
    if (agent.status === 'revoked') throw new RenewalError('revoked', 'this agent has been revoked');
    this.assertNotTooSoon(agent.certRenewedAt ?? null, now);
    let certificatePem: string;
    try {
      certificatePem = await this.pki.signAgentCsr(input.csrPem, agent.id, now);
    } catch (error) {
      if (error instanceof InvalidCsrError) throw new RenewalError('invalid_csr', error.message);
      throw error;
    }
    const facts = certificateFacts(certificatePem);
    const newFingerprint = fingerprint(certificatePem);
    await this.transactions.run(async (tx) => {
      // Conditional: a renewal that raced this one, or a revocation meanwhile, wins.
      const recorded = await this.agents.replaceCertificate(
        agent.id,
        now - this.minIntervalMs,
        {
          certFingerprint: newFingerprint,
          certificatePem,
          previousCertFingerprint: input.presentedFingerprint,
          certRenewedAt: now,
        },
        tx,
      );
      if (!recorded) throw await this.lostRace(agent.id);
      await this.audit.append(
        {
          actor: `agent:${agent.id}`,
          action: 'agent.certificate_renewed',
          target: agent.id,
          details: {
            serial: facts.serial,
            notAfter: facts.notAfter,
            fingerprint: newFingerprint,
            replaced: input.presentedFingerprint,
          },
        },
        tx,
      );
    });
    return { certificatePem, caCertificatePem: this.pki.caPem, notAfter: facts.notAfter };
  }

  /** Why the conditional update changed nothing: revoked meanwhile, or another renewal came first. */
  private async lostRace(agentId: string): Promise<RenewalError> {
    const now = await this.agents.find(agentId);
    return now?.status === 'revoked'
      ? new RenewalError('revoked', 'this agent has been revoked')
      : new RenewalError('rate_limited', 'this agent renewed its certificate moments ago');
  }

  private assertNotTooSoon(renewedAt: number | null, now: number): void {
    if (renewedAt === null || now - renewedAt >= this.minIntervalMs) return;
    const waitSeconds = Math.ceil((renewedAt + this.minIntervalMs - now) / 1_000);
    throw new RenewalError(
      'rate_limited',
      `this agent renewed its certificate ${Math.floor((now - renewedAt) / 1_000)} s ago; try again in ${waitSeconds} s`,
    );
  }
}
