// The agent's key pair and its certificate request. The private key is made
// here and never leaves the workstation; the manager signs the request.
// The PKCS#10 request (RFC 2986) is written with Node's crypto and a few lines of
// DER (der.ts) rather than an X.509 library the agent would carry in memory.
import { generateKeyPair, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { derBits, derElement, derOid, derSequence, derSet, derSmallInteger, derUtf8, pem } from './der';

export interface KeyAndCsr {
  privateKeyPem: string;
  csrPem: string;
}

const OID_COMMON_NAME = '2.5.4.3';
const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export async function createKeyAndCsr(commonName: string): Promise<KeyAndCsr> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'P-256' });
  const subject = derSequence(derSet(derSequence(derOid(OID_COMMON_NAME), derUtf8(commonName))));
  const info = derSequence(
    derSmallInteger(0), // version 1
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    derElement(0xa0, Buffer.alloc(0)), // attributes: none
  );
  const signature = sign('sha256', info, privateKey); // ECDSA, DER-encoded (r, s)
  const request = derSequence(info, derSequence(derOid(OID_ECDSA_WITH_SHA256)), derBits(signature));
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    csrPem: pem('CERTIFICATE REQUEST', request),
  };
}
