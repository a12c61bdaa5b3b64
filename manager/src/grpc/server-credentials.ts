// TLS for the agents' port. Client certificates are requested and verified
// against our CA but not required, because Enroll is made before an agent has
// one; the Session handler insists on one (see peer-identity.ts).
//
// ServerCredentials.createSsl cannot do this: with checkClientCertificate=true
// Node also rejects clients without a certificate. grpc-js's certificate-provider
// credentials set requestCert=true with rejectUnauthorized=false instead, and
// call.getAuthContext() then exposes the peer certificate only when it verified.
import { experimental, type ServerCredentials } from '@grpc/grpc-js';

export interface TlsMaterial {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export function createAgentServerCredentials(tls: TlsMaterial): ServerCredentials {
  const ca = { caCertificate: Buffer.from(tls.caPem) };
  // The chain we send: our certificate, then the CA, so an agent can pin the CA by fingerprint.
  const identity = {
    certificate: Buffer.from(tls.serverCertPem + tls.caPem),
    privateKey: Buffer.from(tls.serverKeyPem),
  };
  const provider: experimental.CertificateProvider = {
    // grpc-js subscribes before it starts listening for updates, so answer on the next turn.
    addCaCertificateListener: (listener) => setImmediate(() => listener(ca)),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (listener) => setImmediate(() => listener(identity)),
    removeIdentityCertificateListener: () => undefined,
  };
  return experimental.createCertificateProviderServerCredentials(provider, provider, false);
}
