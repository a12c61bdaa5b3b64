// A small real manager for agent tests: a grpc-js server over TLS built from the
// generated AgentServiceService. It enrolls one token, renews the certificate of
// whoever presents one it verified, acknowledges batches (unless told not to) and
// records everything it receives.
import { experimental, Server, status, type ServerDuplexStream, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceService,
  type AgentMessage,
  type AgentServiceServer,
  type CommandKey,
  type ManagerMessage,
} from '@wardwatch/proto';
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import type { TestPki } from '../enrollment/test-pki.fixture';
import { noSealingCalls } from './no-sealing-calls.fixture';

export const GOOD_TOKEN = 'wwet_good';

type Stream = ServerDuplexStream<AgentMessage, ManagerMessage>;

/** A small real manager: enrolls one token, acknowledges batches (unless told not to), records all. */
export class TestManager {
  readonly received: AgentMessage[] = [];
  readonly streams: Stream[] = [];
  autoAck = true;
  /** Validity of the certificates it issues (undefined: a day). */
  certificateLifetimeMs: number | undefined;
  /** Answers for the next Renew calls, in order, before it renews again. */
  readonly renewRefusals: Partial<ServiceError>[] = [];
  /** The agent ids it renewed a certificate for, one per renewal. */
  readonly renewed: string[] = [];
  /** The command keys its Enroll and Renew answers carry. */
  commandKeys: CommandKey[] = [];
  /** OPRF mode: enrollment gives no site key and EvaluatePseudonyms answers under this key. */
  oprfKey: Uint8Array | undefined;
  /** Blinded elements it evaluated, as received. */
  readonly evaluated: Buffer[] = [];
  /** Each EvaluatePseudonyms call in order: how many values, whether marked priority, whether refused. */
  readonly evaluationCalls: { values: number; priority: boolean; refused: boolean }[] = [];
  /**
   * Like the manager's per-agent rate: values non-priority calls may still have evaluated
   * (undefined: no limit); beyond, RESOURCE_EXHAUSTED. Priority calls stand for its reserve.
   */
  oprfBudget: number | undefined;
  private server = new Server();
  port = 0;

  constructor(private readonly pki: TestPki) {
    const impl: AgentServiceServer = {
      ...noSealingCalls,
      evaluatePseudonyms: (call, callback) => {
        const key = this.oprfKey;
        if (!key) return callback({ code: status.UNIMPLEMENTED, details: 'not in OPRF mode' });
        if (!call.getAuthContext()?.sslPeerCertificate)
          return callback({ code: status.UNAUTHENTICATED, details: 'client certificate required' });
        const { blinded, priority } = call.request;
        const refused = !priority && this.oprfBudget !== undefined && blinded.length > this.oprfBudget;
        this.evaluationCalls.push({ values: blinded.length, priority, refused });
        if (refused) return callback({ code: status.RESOURCE_EXHAUSTED, details: 'rate limited' });
        if (!priority && this.oprfBudget !== undefined) this.oprfBudget -= blinded.length;
        this.evaluated.push(...blinded.map((b) => Buffer.from(b)));
        // As the manager's OprfKey evaluates (same suite); an invalid element answers empty.
        void loadOprfSuite().then(({ suite }) => {
          const evaluated = blinded.map((b) => Buffer.from(suite.blindEvaluate(key, b) ?? new Uint8Array(0)));
          callback(null, { evaluated, keyId: 'test-key' });
        });
      },
      enroll: (call, callback) => {
        if (call.request.token !== GOOD_TOKEN)
          return callback({ code: status.UNAUTHENTICATED, details: 'unknown or expired token' });
        void pki.signCsr(call.request.csrPem, 'agent-7', this.certificateLifetimeMs).then((certificatePem) =>
          callback(null, {
            agentId: 'agent-7',
            commandKeys: this.commandKeys,
            certificatePem,
            caCertificatePem: pki.caPem,
            pseudonymKey: this.oprfKey ? Buffer.alloc(0) : Buffer.alloc(32, 9),
          }),
        );
      },
      renew: (call, callback) => {
        // Like the manager: only the client certificate says who is asking (verified, so not expired).
        const cn = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
        const agentId = Array.isArray(cn) ? cn[0] : cn;
        if (!agentId) return callback({ code: status.UNAUTHENTICATED, details: 'client certificate required' });
        const refusal = this.renewRefusals.shift();
        if (refusal) return callback(refusal);
        pki.signCsr(call.request.csrPem, agentId, this.certificateLifetimeMs).then(
          (certificatePem) => {
            this.renewed.push(agentId);
            callback(null, { commandKeys: this.commandKeys, certificatePem, caCertificatePem: pki.caPem });
          },
          () => callback({ code: status.INVALID_ARGUMENT, details: 'not a certificate request' }),
        );
      },
      session: (call) => {
        // Enroll needs no client certificate; the session does.
        if (!call.getAuthContext()?.sslPeerCertificate) {
          call.emit('error', { code: status.UNAUTHENTICATED, details: 'client certificate required' });
          return;
        }
        this.streams.push(call);
        call.on('data', (message: AgentMessage) => {
          this.received.push(message);
          if (this.autoAck && message.body?.$case === 'events')
            call.write({ body: { $case: 'ack', value: { sequence: message.body.value.sequence } } });
        });
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    };
    this.server.addService(AgentServiceService, impl);
  }

  async listen(port = 0): Promise<void> {
    // Client certificates are requested and verified against the CA but not required
    // (Enroll has none yet); the session handler insists on one. grpc-js subscribes
    // before it starts listening to updates, so the provider answers asynchronously.
    const provider = {
      addCaCertificateListener: (listener: (u: { caCertificate: Buffer }) => void) =>
        setImmediate(() => listener({ caCertificate: Buffer.from(this.pki.caPem) })),
      removeCaCertificateListener: () => undefined,
      addIdentityCertificateListener: (listener: (u: { certificate: Buffer; privateKey: Buffer }) => void) =>
        setImmediate(() =>
          listener({
            certificate: Buffer.from(this.pki.serverCertPem + this.pki.caPem),
            privateKey: Buffer.from(this.pki.serverKeyPem),
          }),
        ),
      removeIdentityCertificateListener: () => undefined,
    };
    const creds = experimental.createCertificateProviderServerCredentials(provider, provider, false);
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, creds, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  stop(): Promise<void> {
    for (const stream of this.streams) stream.destroy();
    this.server.forceShutdown();
    return Promise.resolve();
  }

  events(): string[] {
    return this.received.flatMap((m) => (m.body?.$case === 'events' ? m.body.value.events.map((e) => e.id) : []));
  }
}

/** Polls `check` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
