// The key and certificate the dashboard is served with over TLS (config.http.tls):
// the manager's own server certificate, issued by its CA (pki/) for localhost, its
// addresses, its host name and WARDWATCH_TLS_SANS; or files the operator provides
// (a certificate from the hospital's own PKI). Undefined: plain HTTP.
import { readFileSync } from 'node:fs';
import type { HttpTlsConfig } from '../config/http-settings';
import type { PkiMaterial } from '../pki/pki.service';

export interface HttpsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** TLS 1.2 at least: what current browsers speak, and nothing older. */
  minVersion: 'TLSv1.2';
}

export class TlsFilesError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsFilesError';
  }
}

export function httpsOptionsFor(tls: HttpTlsConfig, pki: Pick<PkiMaterial, 'server'>): HttpsOptions | undefined {
  if (tls.kind === 'off') return undefined;
  if (tls.kind === 'own-ca') return { key: pki.server.keyPem, cert: pki.server.certPem, minVersion: 'TLSv1.2' };
  return {
    key: readTlsFile(tls.keyFile, 'key'),
    cert: readTlsFile(tls.certFile, 'certificate'),
    minVersion: 'TLSv1.2',
  };
}

function readTlsFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TlsFilesError(`cannot read the HTTPS ${what} ${path} (${code})`, { cause: error });
  }
}
