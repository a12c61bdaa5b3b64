// Renews the agent's client certificate before it expires: at two thirds of its
// lifetime a new key and request are made here, sent with Renew over mutual TLS
// under the current certificate, and the answer is checked (signed by the pinned
// CA, for our new key and our agent id) before it replaces the old pair on disk.
// The next Session connection then uses it (`onRenewed`); a stream already open
// carries on. Failures are retried with backoff, never past the expiry; an expired
// certificate cannot be renewed, and the log says the agent must be enrolled again.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { CommandKey, RenewResponse } from '@wardwatch/proto';
import type { AgentStatus, Backoff } from '@wardwatch/shared/agent';
import type { KeyAndCsr } from '../enrollment/csr';
import { pemFingerprint } from '../enrollment/fetch-ca';
import type { AgentIdentity, IdentityStore } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import { isServiceError } from '../transport/grpc-clients';
import { certificateValidity } from './certificate-validity';
import { nextStep, renewalDueAt, retryDelay, type CertificateValidity } from './renewal-schedule';

export type CertificateStatus = NonNullable<AgentStatus['certificate']>;

export interface CertificateRenewerOptions {
  identity: AgentIdentity;
  store: Pick<IdentityStore, 'saveRenewed'>;
  /** Renew over mutual TLS under the given (current) identity. */
  callRenew(identity: AgentIdentity, csrPem: string): Promise<RenewResponse>;
  /** The new certificate is on disk: later connections use this identity. */
  onRenewed(identity: AgentIdentity): void;
  logger: Logger;
  backoff: Backoff;
  now?: () => number;
  /** Shortest wait between two attempts (tests use short-lived certificates). */
  minRetryMs?: number;
  createKeyAndCsr?: (commonName: string) => Promise<KeyAndCsr>;
  /** The manager's command keys in a renewal answer (pinned only while none is: response/command-keys). */
  onCommandKeys?(keys: CommandKey[]): void;
}

export class RenewalAnswerRejected extends Error {}

export class CertificateRenewer {
  private identity: AgentIdentity;
  private validity: CertificateValidity;
  private state: CertificateStatus['renewal'] = 'scheduled';
  private lastRenewedAt: number | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> | null = null;
  private stopped = false;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: CertificateRenewerOptions) {
    this.identity = options.identity;
    this.validity = certificateValidity(options.identity.certificatePem);
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'certificate-renewal' });
  }

  start(): void {
    this.log.info('certificate renewal scheduled', this.times());
    this.schedule();
  }

  /** Stops the schedule; an attempt under way finishes (its files are written whole or not at all). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.attempt;
  }

  status(): CertificateStatus {
    return {
      notAfter: this.validity.notAfter,
      renewAt: renewalDueAt(this.validity),
      renewal: this.state,
      lastRenewedAt: this.lastRenewedAt,
      lastError: this.lastError,
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    const step = nextStep(this.validity, this.now());
    if (step.kind === 'expired') return this.expired();
    if (step.kind === 'renew') {
      this.attempt = this.renew();
      return;
    }
    this.wait(step.ms);
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, ms);
  }

  private async renew(): Promise<void> {
    if (this.state !== 'retrying') this.state = 'renewing';
    try {
      await this.renewOnce();
    } catch (error) {
      if (this.stopped) return;
      const now = this.now();
      if (now >= this.validity.notAfter) return this.expired();
      const message = error instanceof Error ? error.message : String(error);
      const delay = retryDelay(this.options.backoff.next(), this.validity, now, this.options.minRetryMs);
      this.state = 'retrying';
      this.lastError = message;
      const fields = { error: message, retryInMs: delay, attempt: this.options.backoff.attempts, ...this.times() };
      if (isRefusal(error))
        this.log.error('the manager refused to renew the agent certificate, retrying', {
          ...fields,
          hint: 'if the agent was revoked or the manager reset, enroll it again before the certificate expires',
        });
      else this.log.warn('certificate renewal failed, retrying', fields);
      return this.wait(delay);
    }
    this.options.backoff.reset();
    this.state = 'scheduled';
    this.lastError = null;
    this.lastRenewedAt = this.now();
    this.log.info('agent certificate renewed', this.times());
    this.schedule();
  }

  private async renewOnce(): Promise<void> {
    const key = await (this.options.createKeyAndCsr ?? loadKeyAndCsr)(this.identity.agentId);
    const response = await this.options.callRenew(this.identity, key.csrPem);
    checkRenewal(response, this.identity, key.privateKeyPem);
    // Saved even when stopping: the manager already holds this one as the agent's certificate.
    this.options.store.saveRenewed({ privateKeyPem: key.privateKeyPem, certificatePem: response.certificatePem });
    this.identity = { ...this.identity, privateKeyPem: key.privateKeyPem, certificatePem: response.certificatePem };
    this.validity = certificateValidity(response.certificatePem);
    this.options.onRenewed(this.identity);
    if (response.commandKeys.length > 0) this.options.onCommandKeys?.(response.commandKeys);
  }

  private expired(): void {
    this.state = 'expired';
    this.lastError = `the certificate expired at ${new Date(this.validity.notAfter).toISOString()}`;
    this.log.error('the agent certificate has expired and cannot be renewed: the agent must be enrolled again', {
      ...this.times(),
      hint: 'give the agent a new enrollment token and remove identity.json from its data folder',
    });
  }

  private times() {
    return {
      notAfter: new Date(this.validity.notAfter).toISOString(),
      renewAt: new Date(renewalDueAt(this.validity)).toISOString(),
    };
  }
}

/** The answer must be signed by the pinned CA, for our new key and our agent id. */
export function checkRenewal(response: RenewResponse, identity: AgentIdentity, privateKeyPem: string): void {
  const refuse = (why: string) => new RenewalAnswerRejected(`renewal answer rejected: ${why}`);
  if (response.caCertificatePem && pemFingerprint(response.caCertificatePem) !== identity.caFingerprint)
    throw refuse('the CA it names is not the pinned one');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(response.certificatePem);
  } catch {
    throw refuse('the certificate is not a PEM X.509 certificate');
  }
  if (!cert.verify(new X509Certificate(identity.caPem).publicKey))
    throw refuse('the certificate is not signed by the pinned CA');
  const ours = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(ours))
    throw refuse('the certificate is not for our new key');
  if (cert.subject !== `CN=${identity.agentId}`) throw refuse(`the certificate names ${cert.subject}, not this agent`);
}

function isRefusal(error: unknown): boolean {
  return (
    isServiceError(error) && (error.code === grpcStatus.UNAUTHENTICATED || error.code === grpcStatus.PERMISSION_DENIED)
  );
}

/** The X.509 library is loaded only when a request is made (see ensure-identity.ts). */
async function loadKeyAndCsr(commonName: string): Promise<KeyAndCsr> {
  const { createKeyAndCsr } = await import('../enrollment/csr.js');
  return createKeyAndCsr(commonName);
}
