// The validity window of a PEM certificate, with Node's own X.509 parser (the
// agent loads @peculiar/x509 only when it makes a request).
import { X509Certificate } from 'node:crypto';
import type { CertificateValidity } from './renewal-schedule';

export function certificateValidity(certificatePem: string): CertificateValidity {
  const cert = new X509Certificate(certificatePem);
  return { notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
}
