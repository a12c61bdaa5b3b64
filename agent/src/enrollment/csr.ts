// The agent's key pair and its certificate request. The private key is made
// here and never leaves the workstation; the manager signs the request.
import { KeyObject, webcrypto } from 'node:crypto';
import { useNodeCrypto, x509 } from './x509';

export interface KeyAndCsr {
  privateKeyPem: string;
  csrPem: string;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function createKeyAndCsr(commonName: string): Promise<KeyAndCsr> {
  useNodeCrypto();
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys: keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  const privateKeyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, csrPem: csr.toString('pem') };
}
