// The two ways the agent talks gRPC to its manager, both pinned to the manager's
// CA instead of the system trust store: server-authenticated TLS for Enroll (we
// have no certificate yet), mutual TLS for everything after.
import { createSecureContext } from 'node:tls';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient, type EnrollRequest, type EnrollResponse, type RenewResponse } from '@wardwatch/proto';

const channelOptions = {
  // Notice a dead manager or a silently dropped NAT mapping within a minute.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export function createEnrollClient(address: string, caPem: string): AgentServiceClient {
  return new AgentServiceClient(address, credentials.createSsl(Buffer.from(caPem)), channelOptions);
}

export interface MutualTlsIdentity {
  caPem: string;
  privateKeyPem: string;
  certificatePem: string;
}

/** The minimum TLS version and suites the protection policy sets for the manager link. */
export interface LinkTlsSettings {
  minTlsVersion: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL names; empty: the TLS library's defaults. */
  ciphers: readonly string[];
}

export function createSessionClient(
  address: string,
  identity: MutualTlsIdentity,
  link: LinkTlsSettings | null = null,
): AgentServiceClient {
  const creds = link
    ? credentials.createFromSecureContext(
        createSecureContext({
          ca: identity.caPem,
          key: identity.privateKeyPem,
          cert: identity.certificatePem,
          minVersion: link.minTlsVersion,
          ...(link.ciphers.length > 0 ? { ciphers: link.ciphers.join(':') } : {}),
        }),
      )
    : credentials.createSsl(
        Buffer.from(identity.caPem),
        Buffer.from(identity.privateKeyPem),
        Buffer.from(identity.certificatePem),
      );
  return new AgentServiceClient(address, creds, channelOptions);
}

/** Enroll with a deadline; the client is closed afterwards. */
export function callEnroll(
  address: string,
  caPem: string,
  request: EnrollRequest,
  timeoutMs: number,
): Promise<EnrollResponse> {
  const client = createEnrollClient(address, caPem);
  return new Promise<EnrollResponse>((resolve, reject) => {
    client.enroll(request, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  }).finally(() => client.close());
}

/** Renew over mutual TLS with the current identity, with a deadline; the client is closed afterwards. */
export function callRenew(
  address: string,
  identity: MutualTlsIdentity,
  csrPem: string,
  timeoutMs: number,
): Promise<RenewResponse> {
  const client = createSessionClient(address, identity);
  return new Promise<RenewResponse>((resolve, reject) => {
    client.renew({ csrPem }, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  }).finally(() => client.close());
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'metadata' in error;
}

/** Errors that say "not now" rather than "no": worth retrying later. */
export function isTransient(error: unknown): boolean {
  if (isServiceError(error))
    return (
      error.code === status.UNAVAILABLE ||
      error.code === status.DEADLINE_EXCEEDED ||
      error.code === status.RESOURCE_EXHAUSTED
    );
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE'].includes(code)
  );
}
