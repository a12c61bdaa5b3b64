// First contact with the manager: before we trust anything it says, read the
// certificates it presents in a plain TLS handshake and keep the one whose
// SHA-256 fingerprint the admin put in the config. Nothing is sent.
import { createHash, X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';

export function certificateFingerprint(der: Buffer): string {
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

export function pemFingerprint(pem: string): string {
  return certificateFingerprint(new X509Certificate(pem).raw);
}

export interface FetchCaOptions {
  host: string;
  port: number;
  expectedFingerprint: string;
  timeoutMs: number;
}

export class CaFingerprintMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly seen: string[],
  ) {
    super(
      `the manager's CA certificate does not match manager.caFingerprint (expected ${expected}, the manager presented ${seen.join(', ') || 'no certificates'}): refusing to enroll`,
    );
    this.name = 'CaFingerprintMismatchError';
  }
}

/** Resolves with the PEM of the pinned CA, or rejects without having sent anything to the manager. */
export function fetchPinnedCa(options: FetchCaOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // Verification is off only for this handshake: the fingerprint check below is the trust decision.
    const socket = connect({
      host: options.host,
      port: options.port,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2'],
      servername: serverName(options.host),
    });
    const timer = setTimeout(
      () =>
        socket.destroy(
          new Error(`no TLS handshake with ${options.host}:${options.port} within ${options.timeoutMs} ms`),
        ),
      options.timeoutMs,
    );
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chain = peerChain(socket.getPeerCertificate(true));
      socket.end();
      const seen = chain.map((der) => certificateFingerprint(der));
      const index = seen.indexOf(options.expectedFingerprint);
      if (index < 0) return reject(new CaFingerprintMismatchError(options.expectedFingerprint, seen));
      resolve(new X509Certificate(chain[index]).toString());
    });
  });
}

/** Every certificate the peer sent, leaf first (the CA's issuer link points to itself). */
function peerChain(leaf: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current?.raw && !chain.some((der) => der.equals(current!.raw))) {
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

/** SNI must not be an IP address. */
function serverName(host: string): string | undefined {
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
}
