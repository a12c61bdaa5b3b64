// Keyed pseudonyms under the per-site key the manager hands out at enrollment:
// the same user, path or address always gives the same token on every agent of
// the site (so the manager can correlate), but nobody without the key can
// recompute or reverse it. The manager re-identifies only by an explicit,
// audited action that recomputes tokens for candidate values.
import { createHmac } from 'node:crypto';

export type PseudonymKind = 'user' | 'path' | 'ip' | 'host';

const prefixes: Record<PseudonymKind, string> = { user: 'u', path: 'p', ip: 'ip', host: 'h' };

/** 16 hex digits = 64 bits: collisions are negligible within one site. */
const TOKEN_HEX_LENGTH = 16;

export class Pseudonymizer {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length < 16) throw new Error(`the pseudonym key must be at least 16 bytes, got ${key.length}`);
    this.key = Buffer.from(key);
  }

  /** `u_<16 hex>` etc.; an empty value stays empty (nothing to hide). */
  token(kind: PseudonymKind, value: string): string {
    if (value === '') return '';
    // The kind is part of the MAC input so a user and a path with the same text differ.
    const mac = createHmac('sha256', this.key).update(kind).update('\0').update(value, 'utf8').digest('hex');
    return `${prefixes[kind]}_${mac.slice(0, TOKEN_HEX_LENGTH)}`;
  }

  user(value: string): string {
    return this.token('user', value);
  }

  path(value: string): string {
    return this.token('path', value);
  }

  ip(value: string): string {
    return this.token('ip', value);
  }

  host(value: string): string {
    return this.token('host', value);
  }
}
