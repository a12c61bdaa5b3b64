// Where a login came from, as logs spell it: an address (`203.0.113.9`,
// `2001:db8::1`, `::ffff:192.0.2.1`, `[2001:db8::1]`) or a host name when the
// program resolved it (sshd with UseDNS, pam_unix's `rhost=`, ftpd). The two
// are kept apart because they are pseudonymised apart (`ip_…` / `h_…`, see
// pseudonymize/pseudonymizer.ts): a DNS name recorded as an address would be
// a new "address" nobody can correlate with the real one.
import { isIP } from 'node:net';

export interface SourceFields {
  sourceIp?: string;
  sourceHost?: string;
}

/** Values that name no place: util-linux and old ftpd print them when they know nothing. */
const NO_SOURCE: ReadonlySet<string> = new Set(['', '(null)', 'UNKNOWN', 'unknown', '?', '-']);

export function isAddress(value: string): boolean {
  const literal = value.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return isIP(literal) !== 0;
}

/** One field that holds either an address or a host name. */
export function sourceFields(value: string | undefined): SourceFields {
  const v = (value ?? '').trim();
  if (NO_SOURCE.has(v)) return {};
  return isAddress(v) ? { sourceIp: v } : { sourceHost: v };
}

/** `name [address]` or `name (address)` (ftpd, klogind): both kept when they differ in kind. */
export function namedSource(name: string | undefined, address: string | undefined): SourceFields {
  const fromName = sourceFields(name);
  const fromAddress = sourceFields(address);
  return {
    sourceIp: fromAddress.sourceIp ?? fromName.sourceIp,
    sourceHost: fromName.sourceHost ?? fromAddress.sourceHost,
  };
}
