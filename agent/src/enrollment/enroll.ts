// Enrollment decides: fetch and check the manager's CA, make a key and request,
// present the single-use token, check what comes back, store the identity.
// Every side effect (network, key generation, files, clock) is a dependency.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { CommandKey, EnrollRequest, EnrollResponse, HostInfo } from '@wardwatch/proto';
import { AgentError, ExitCode } from '../errors/agent-error';
import type { AgentIdentity } from '../identity/identity-store';
import { isServiceError } from '../transport/grpc-clients';
import { CaFingerprintMismatchError, pemFingerprint } from './fetch-ca';
import type { KeyAndCsr } from './csr';

export interface EnrollDeps {
  fetchCa(): Promise<string>;
  createKeyAndCsr(commonName: string): Promise<KeyAndCsr>;
  callEnroll(caPem: string, request: EnrollRequest): Promise<EnrollResponse>;
  save(identity: AgentIdentity): void;
  now(): number;
  /** Pins the manager's command keys (response/command-keys); before the identity is saved. */
  pinCommandKeys?(keys: CommandKey[]): void;
}

export interface EnrollInput {
  managerAddress: string;
  caFingerprint: string;
  token: string;
  host: HostInfo;
}

export async function enrollAgent(input: EnrollInput, deps: EnrollDeps): Promise<AgentIdentity> {
  let caPem: string;
  try {
    caPem = await deps.fetchCa();
  } catch (error) {
    if (error instanceof CaFingerprintMismatchError)
      throw new AgentError(error.message, ExitCode.enrollmentRefused, { cause: error });
    throw error;
  }
  const { privateKeyPem, csrPem } = await deps.createKeyAndCsr(input.host.hostname || 'wardwatch-agent');

  let response: EnrollResponse;
  try {
    response = await deps.callEnroll(caPem, { token: input.token, csrPem, host: input.host });
  } catch (error) {
    if (isServiceError(error) && refusals.has(error.code))
      throw new TokenRefusedError(error.details || status[error.code], { cause: error });
    throw error;
  }

  checkResponse(response, caPem, privateKeyPem, input.caFingerprint);
  // Before identity.json: its presence means enrollment completed, keys included.
  deps.pinCommandKeys?.(response.commandKeys);
  const identity: AgentIdentity = {
    agentId: response.agentId,
    managerAddress: input.managerAddress,
    caFingerprint: input.caFingerprint,
    enrolledAt: deps.now(),
    privateKeyPem,
    certificatePem: response.certificatePem,
    caPem,
    pseudonymKey: Buffer.from(response.pseudonymKey),
  };
  deps.save(identity);
  return identity;
}

/** The manager said no to the token (unknown, expired or already used): final, exit code 3. */
export class TokenRefusedError extends AgentError {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the manager refused the enrollment token (${reason}): ask an admin for a new token`,
      ExitCode.enrollmentRefused,
      options,
    );
    this.name = 'TokenRefusedError';
  }
}

const refusals = new Set<number>([
  status.UNAUTHENTICATED,
  status.PERMISSION_DENIED,
  status.INVALID_ARGUMENT,
  status.FAILED_PRECONDITION,
  status.NOT_FOUND,
]);

/** The manager's answer must fit what we pinned and what we asked for. */
export function checkResponse(
  response: EnrollResponse,
  caPem: string,
  privateKeyPem: string,
  caFingerprint: string,
): void {
  const refuse = (why: string) => new AgentError(`enrollment answer rejected: ${why}`, ExitCode.enrollmentRefused);
  if (!response.agentId) throw refuse('no agent id');
  if (response.caCertificatePem && pemFingerprint(response.caCertificatePem) !== caFingerprint)
    throw refuse('the CA it names is not the pinned one');
  // No key at all: the manager runs the OPRF mode and evaluates tokens for this agent (pseudonymize/oprf/).
  if (response.pseudonymKey.length > 0 && response.pseudonymKey.length < 16)
    throw refuse('the pseudonym key is shorter than 16 bytes');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(response.certificatePem);
  } catch {
    throw refuse('the certificate is not a PEM X.509 certificate');
  }
  if (!certificate.verify(new X509Certificate(caPem).publicKey))
    throw refuse('the certificate is not signed by the pinned CA');
  const ours = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  if (!certificate.publicKey.export({ type: 'spki', format: 'der' }).equals(ours))
    throw refuse('the certificate is not for our key');
}
