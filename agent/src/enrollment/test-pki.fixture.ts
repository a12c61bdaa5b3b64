// A throw-away CA for tests: a real CA, server certificate and client-certificate
// signing with @peculiar/x509, standing in for the manager's PKI.
import { KeyObject, webcrypto } from 'node:crypto';
import { useNodeCrypto, x509 } from './x509.fixture';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
type Keys = webcrypto.CryptoKeyPair;

async function newKeys(): Promise<Keys> {
  return await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

function keyPem(keys: Keys): string {
  return KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}

let serial = 1;
const validity = () => ({ notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** Signs a PEM PKCS#10 request as the manager would (valid a day, or `lifetimeMs` from now). */
  signCsr(csrPem: string, agentId: string, lifetimeMs?: number): Promise<string>;
}

export async function createTestPki(commonName = 'WardWatch Test CA'): Promise<TestPki> {
  useNodeCrypto();
  const caKeys = await newKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: String(serial++).padStart(2, '0'),
    name: `CN=${commonName}`,
    keys: caKeys,
    signingAlgorithm: alg,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const serverKeys = await newKeys();
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: String(serial++).padStart(2, '0'),
    subject: 'CN=localhost',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    ...validity(),
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  return {
    caPem: ca.toString('pem') + '\n',
    serverCertPem: server.toString('pem') + '\n',
    serverKeyPem: keyPem(serverKeys),
    signCsr: async (csrPem, agentId, lifetimeMs) => {
      useNodeCrypto();
      const csr = new x509.Pkcs10CertificateRequest(csrPem);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: String(serial++).padStart(2, '0'),
        subject: `CN=${agentId}`,
        issuer: ca.subject,
        publicKey: csr.publicKey, // a PublicKey is accepted as it is: no export to a CryptoKey needed
        signingKey: caKeys.privateKey,
        signingAlgorithm: alg,
        ...(lifetimeMs === undefined
          ? validity()
          : { notBefore: new Date(Date.now() - 1_000), notAfter: new Date(Date.now() + lifetimeMs) }),
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      });
      return cert.toString('pem') + '\n';
    },
  };
}
