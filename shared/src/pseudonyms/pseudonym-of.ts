// What an agent sends for a user, address, host or device value: the value
// itself where clear-values.ts keeps it in clear, else its token. The agent
// pseudonymises with this and the manager's lookup answers with it, so both
// agree even on the exceptions.
import { isIP } from 'node:net';
import { clearAccount, clearAddress, clearHost } from './clear-values';
import { pseudonymToken } from './pseudonym-token';
import type { PseudonymKind } from './token-format';

export type ValueKind = Exclude<PseudonymKind, 'path'>;

export function pseudonymOf(key: Uint8Array, kind: ValueKind, value: string): string {
  return pseudonymWith((k, v) => pseudonymToken(key, k, v), kind, value);
}

/** `pseudonymOf` with any token function (the OPRF mode's, oprf-token.ts): the same exceptions. */
export function pseudonymWith(
  token: (kind: ValueKind, value: string) => string,
  kind: ValueKind,
  value: string,
): string {
  if (value.trim() === '') return '';
  switch (kind) {
    case 'user':
      return clearAccount(value) ?? token('user', value);
    case 'ip':
      return clearAddress(value) ?? token('ip', value);
    case 'host': {
      const clear = clearHost(value);
      if (clear !== undefined) return clear;
      // A host given as an address is an address (sshd logs one when DNS fails), so both correlate.
      const literal = value
        .trim()
        .replace(/^\[(.*)\]$/, '$1')
        .replace(/%.*$/, '');
      return isIP(literal) ? pseudonymWith(token, 'ip', value) : token('host', value);
    }
    case 'device':
      return token('device', value);
  }
}
