// Loads the manager's CA, server certificate and site pseudonym key, creating them
// on first start. The server certificate is renewed when a configured name is
// missing from it or it is about to expire; the CA is never replaced silently.
import { X509Certificate } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import {
  certificateNames,
  createCa,
  createServerCertificate,
  fingerprint,
  csrMatchesCertificate,
  signAgentCsr,
  type PemPair,
} from './certificate-authority';
import { PkiStore } from './pki.store';

export interface PkiMaterial {
  ca: PemPair;
  server: PemPair;
  caFingerprint: string;
  pseudonymKey: Buffer;
}

const RENEW_BEFORE_MS = 30 * 86_400_000;

export function serverNames(extra: string[]): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extra])];
}

export async function ensurePki(
  store: PkiStore,
  extraNames: string[],
  now: number,
  randomKey: () => Buffer,
): Promise<PkiMaterial> {
  if (!store.exists('caCert') || !store.exists('caKey')) {
    const ca = await createCa(now);
    store.write('caKey', ca.keyPem);
    store.write('caCert', ca.certPem);
  }
  const ca: PemPair = { certPem: store.read('caCert').toString(), keyPem: store.read('caKey').toString() };

  const names = serverNames(extraNames);
  if (
    !store.exists('serverCert') ||
    !store.exists('serverKey') ||
    needsRenewal(store.read('serverCert').toString(), ca.certPem, names, now)
  ) {
    const server = await createServerCertificate(ca, names, now);
    store.write('serverKey', server.keyPem);
    store.write('serverCert', server.certPem);
  }
  const server: PemPair = { certPem: store.read('serverCert').toString(), keyPem: store.read('serverKey').toString() };

  if (!store.exists('pseudonymKey')) store.write('pseudonymKey', randomKey());
  const pseudonymKey = store.read('pseudonymKey');
  if (pseudonymKey.length !== 32)
    throw new Error(`${store.path('pseudonymKey')} must hold 32 bytes, found ${pseudonymKey.length}`);

  return { ca, server, caFingerprint: fingerprint(ca.certPem), pseudonymKey };
}

function needsRenewal(serverPem: string, caPem: string, names: string[], now: number): boolean {
  const cert = new X509Certificate(serverPem);
  if (!cert.checkIssued(new X509Certificate(caPem))) return true;
  if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return true;
  const have = new Set(certificateNames(serverPem).map(normaliseName));
  return names.some((name) => !have.has(normaliseName(name)));
}

/** OpenSSL prints IPv6 addresses in full (0:0:0:0:0:0:0:1); compare them that way. */
function normaliseName(name: string): string {
  return name === '::1' ? '0:0:0:0:0:0:0:1' : name.toLowerCase();
}

/** The loaded PKI, as a Nest provider (created by a factory once the files exist). */
@Injectable()
export class PkiService {
  /** `agentLifetimeMs`: validity of the agent certificates signed here (default one year). */
  constructor(
    private readonly material: PkiMaterial,
    private readonly agentLifetimeMs?: number,
  ) {}

  get caPem(): string {
    return this.material.ca.certPem;
  }
  get caFingerprint(): string {
    return this.material.caFingerprint;
  }
  get server(): PemPair {
    return this.material.server;
  }
  get pseudonymKey(): Buffer {
    return this.material.pseudonymKey;
  }

  signAgentCsr(csrPem: string, agentId: string, now: number): Promise<string> {
    return signAgentCsr(this.material.ca, csrPem, agentId, now, this.agentLifetimeMs);
  }

  /** True when the request is signed by the key the certificate certifies (a retried enrollment). */
  csrMatchesCertificate(csrPem: string, certPem: string): Promise<boolean> {
    return csrMatchesCertificate(csrPem, certPem);
  }

  /** True when the certificate (DER) was signed by our CA and is valid at `now`. */
  issuedByUs(der: Buffer, now: number): boolean {
    const cert = new X509Certificate(der);
    const ca = new X509Certificate(this.material.ca.certPem);
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      Date.parse(cert.validFrom) <= now &&
      now <= Date.parse(cert.validTo)
    );
  }
}
