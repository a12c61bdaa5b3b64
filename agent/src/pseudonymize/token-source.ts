// Where the MAC part of a token comes from. Two sources, one per pseudonym mode
// (shared/src/pseudonyms/oprf-token.ts): the site's HMAC key held on the workstation
// (local-key, every answer at once), or the manager's OPRF through a local cache
// (oprf/oprf-tokens.ts), which answers undefined for a value not evaluated yet: the
// caller then holds its event back (pipeline/pending-events.ts) — never sends it clear.
import {
  assertSiteKey,
  pseudonymMac,
  tokenExtension,
  type PseudonymKind,
  type PseudonymMode,
} from '@wardwatch/shared/pseudonyms';

export interface TokenSource {
  readonly mode: PseudonymMode;
  /** The 16-hex MAC of a value, or undefined while it is not known yet. */
  mac(kind: PseudonymKind, value: string): string | undefined;
  /** The extension a file event may show (`.pdf`, `.~<6 hex>`), or undefined while not known yet. */
  extension(path: string): string | undefined;
  /**
   * OPRF mode: calls `listener` after each batch of tokens arrives; returns the unsubscribe.
   * Absent where every answer is known at once (local-key).
   */
  subscribe?(listener: () => void): () => void;
  /**
   * OPRF mode: runs `compute` so that the values it asks for without a token are asked of
   * the manager before those of events (Pseudonymizer.complete). Absent: nothing to order.
   */
  prioritized?<T>(compute: () => T): T;
}

export class LocalKeyTokens implements TokenSource {
  readonly mode = 'local-key';
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    assertSiteKey(key);
    this.key = Buffer.from(key);
  }

  mac(kind: PseudonymKind, value: string): string {
    return pseudonymMac(this.key, kind, value);
  }

  extension(path: string): string {
    return tokenExtension(this.key, path);
  }
}
