// A real gRPC manager over TLS that only enrolls, for the retry tests: it can
// swallow the answers to the first calls (the token is used, the agent hears
// nothing before its deadline) and then either hand back the same certificate
// for the same key, as the fixed manager does, or refuse the used token, as the
// earlier one did.
import { createPublicKey } from 'node:crypto';
import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import {
  AgentServiceService,
  type AgentServiceServer,
  type EnrollRequest,
  type EnrollResponse,
} from '@wardwatch/proto';
import { x509 } from './x509.fixture';
import type { TestPki } from './test-pki.fixture';
import { noSealingCalls } from '../transport/no-sealing-calls.fixture';

export const ENROLL_TOKEN = 'wwet_once';

export type RepeatPolicy = 'same-certificate' | 'refuse';

export class EnrollManager {
  readonly requests: EnrollRequest[] = [];
  /** Answers to swallow: the call is decided (token used) but never answered. */
  loseAnswers = 0;
  private readonly server = new Server();
  private issued: { publicKey: string; response: EnrollResponse } | null = null;
  private readonly unanswered: sendUnaryData<EnrollResponse>[] = [];
  port = 0;

  constructor(
    private readonly pki: TestPki,
    private readonly repeat: RepeatPolicy,
  ) {
    const impl: AgentServiceServer = {
      enroll: (call, callback) => void this.enroll(call, callback),
      renew: (_call, callback) => callback({ code: status.UNIMPLEMENTED, details: 'no renewal here' }),
      session: (call) => call.emit('error', { code: status.UNIMPLEMENTED, details: 'enrollment only' }),
      ...noSealingCalls,
    };
    this.server.addService(AgentServiceService, impl);
  }

  async listen(): Promise<void> {
    const creds = ServerCredentials.createSsl(
      null,
      [
        {
          cert_chain: Buffer.from(this.pki.serverCertPem + this.pki.caPem),
          private_key: Buffer.from(this.pki.serverKeyPem),
        },
      ],
      false,
    );
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', creds, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
  }

  stop(): void {
    this.server.forceShutdown();
  }

  private async enroll(
    call: ServerUnaryCall<EnrollRequest, EnrollResponse>,
    callback: sendUnaryData<EnrollResponse>,
  ): Promise<void> {
    this.requests.push(call.request);
    const answer = await this.decide(call.request);
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      this.unanswered.push(callback); // decided, never answered: the agent's deadline passes
      return;
    }
    if ('refused' in answer) callback({ code: status.UNAUTHENTICATED, details: answer.refused });
    else callback(null, answer.response);
  }

  private async decide(request: EnrollRequest): Promise<{ response: EnrollResponse } | { refused: string }> {
    if (request.token !== ENROLL_TOKEN) return { refused: 'unknown token' };
    const publicKey = csrPublicKey(request.csrPem);
    if (this.issued) {
      if (this.repeat === 'same-certificate' && this.issued.publicKey === publicKey)
        return { response: this.issued.response };
      return { refused: 'enrollment token already used' };
    }
    const response: EnrollResponse = {
      agentId: 'agent-9',
      commandKeys: [],
      certificatePem: await this.pki.signCsr(request.csrPem, 'agent-9'),
      caCertificatePem: this.pki.caPem,
      pseudonymKey: Buffer.alloc(32, 7),
    };
    this.issued = { publicKey, response };
    return { response };
  }
}

/** The request's public key (SPKI, base64), to recognise the same key in a repeat. */
export function csrPublicKey(csrPem: string): string {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  return createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
}
