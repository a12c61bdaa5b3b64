// The manager's own small CA: ECDSA P-256 keys, a 10-year CA, a server certificate
// for the gRPC port and client certificates for agents (1 year unless configured).
import { createHash, createPrivateKey, KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { useNodeCrypto, x509 } from './x509';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
type Keys = webcrypto.CryptoKeyPair;

const DAY = 86_400_000;
export const CA_VALIDITY_DAYS = 3_650;
export const SERVER_VALIDITY_DAYS = 825;
export const AGENT_VALIDITY_DAYS = 365;
/** Certificates start a little in the past, for workstations whose clock runs behind. */
const BACKDATE_MS = 5 * 60_000;

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export function fingerprint(certPem: string): string {
  return `sha256:${createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')}`;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  return bytes.toString('hex');
}

async function newKeys(): Promise<Keys> {
  return await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

function exportKey(key: Keys['privateKey']): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']);
}

const validity = (now: number, days: number) => validityMs(now, days * DAY);

/** A short lifetime (tests) is backdated by a tenth of it at most, so most of it lies ahead. */
const validityMs = (now: number, lifetimeMs: number) => ({
  notBefore: new Date(now - Math.min(BACKDATE_MS, Math.floor(lifetimeMs / 10))),
  notAfter: new Date(now + lifetimeMs),
});

export async function createCa(now: number, commonName = 'WardWatch Manager CA'): Promise<PemPair> {
  useNodeCrypto();
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: alg,
    ...validity(now, CA_VALIDITY_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: exportKey(keys.privateKey) };
}

export async function createServerCertificate(ca: PemPair, names: string[], now: number): Promise<PemPair> {
  useNodeCrypto();
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=wardwatch-manager',
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.keyPem),
    signingAlgorithm: alg,
    ...validity(now, SERVER_VALIDITY_DAYS),
    extensions: [
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value }))),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: exportKey(keys.privateKey) };
}

/** The DNS names and IP addresses a server certificate is valid for. */
export function certificateNames(certPem: string): string[] {
  const san = new X509Certificate(certPem).subjectAltName ?? '';
  return san
    .split(', ')
    .map((part) => part.replace(/^(DNS|IP Address):/, ''))
    .filter((name) => name !== '');
}

/** What the audit log and the agent register keep of an issued certificate. */
export function certificateFacts(certPem: string): { serial: string; notBefore: number; notAfter: number } {
  const cert = new X509Certificate(certPem);
  return {
    serial: cert.serialNumber.toLowerCase(),
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
  };
}

export class InvalidCsrError extends Error {}

/**
 * True when the request is well formed, signed by its own key, and that key is the
 * certificate's: the same workstation asking again for what it was already given.
 */
export async function csrMatchesCertificate(csrPem: string, certPem: string): Promise<boolean> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
    if (!(await csr.verify())) return false;
  } catch {
    return false;
  }
  const issued = new x509.X509Certificate(certPem);
  return Buffer.from(csr.publicKey.rawData).equals(Buffer.from(issued.publicKey.rawData));
}

/** Signs an agent's PKCS#10 request after checking its self-signature. The subject is always CN=<agentId>. */
export async function signAgentCsr(
  ca: PemPair,
  csrPem: string,
  agentId: string,
  now: number,
  lifetimeMs = AGENT_VALIDITY_DAYS * DAY,
): Promise<string> {
  useNodeCrypto();
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new InvalidCsrError('the certificate request is not a PEM PKCS#10 request');
  }
  if (!(await csr.verify())) throw new InvalidCsrError('the certificate request is not signed by its own key');
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${agentId}`,
    issuer: caCert.subject,
    // The request's own PublicKey object: the library accepts it as is (no DOM CryptoKey round trip).
    publicKey: csr.publicKey,
    signingKey: await importKey(ca.keyPem),
    signingAlgorithm: alg,
    ...validityMs(now, lifetimeMs),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return `${cert.toString('pem')}\n`;
}
