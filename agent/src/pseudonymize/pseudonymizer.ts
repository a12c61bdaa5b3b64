// Keyed pseudonyms under the per-site key the manager hands out at enrollment.
// The token function itself lives in `@wardwatch/shared/pseudonyms`, the one place
// the manager also uses when a privacy officer re-identifies; this class adds
// what only the workstation knows: which folders hold patient data, what is
// mounted. The few values that stay in clear are named in the shared `clear-values.ts`.
import {
  assertSiteKey,
  clearSystemPath,
  formatPathToken,
  pseudonymMac,
  pseudonymOf,
  tokenExtension,
  type PathFolderClass,
} from '@wardwatch/shared/pseudonyms';
import { PathClassifier, type ClassifiedFolder } from '../paths/path-classifier';

export interface PseudonymizerOptions {
  /** The agent's watched folders with their classes (`watch.folders` of the config). */
  folders?: readonly ClassifiedFolder[];
}

/** What the collector already knows about a path's place (file events). */
export interface KnownPlace {
  folderClass: string;
  depth: number;
}

/** Tokens remembered per kind: users, addresses and busy files repeat, and an HMAC is the main cost. */
const MEMO_SIZE = 4_096;

export class Pseudonymizer {
  private readonly key: Buffer;
  readonly places: PathClassifier;
  private readonly memo = new Map<string, string>();

  constructor(key: Uint8Array, options: PseudonymizerOptions = {}) {
    assertSiteKey(key);
    this.key = Buffer.from(key);
    this.places = new PathClassifier(options.folders);
  }

  /** `u_…`, or the account name when it belongs to the OS (root, SYSTEM). */
  user(value: string): string {
    return this.remember('user', value, () => pseudonymOf(this.key, 'user', value));
  }

  /** `ip_…`, or a loopback / unspecified address as it is. */
  ip(value: string): string {
    return this.remember('ip', value, () => pseudonymOf(this.key, 'ip', value));
  }

  /** `h_…`; a host given as an address is an address (`ip_…`), so both correlate. */
  host(value: string): string {
    return this.remember('host', value, () => pseudonymOf(this.key, 'host', value));
  }

  /** `d_…` for a device serial number. */
  device(value: string): string {
    return pseudonymOf(this.key, 'device', value);
  }

  /**
   * `p_<class>_d<depth>_<mac><.ext>`, or the path itself under a system software
   * folder. `known` is the collector's class and depth (file events); without it
   * the classifier decides.
   */
  path(value: string, known?: KnownPlace): string {
    if (value.trim() === '') return '';
    const clear = clearSystemPath(value);
    if (clear !== undefined) return clear;
    const extension = this.extension(value);
    // The place can change (a drive mounted later), so only the MAC part is remembered.
    const shape = known
      ? { folderClass: asClass(known.folderClass), depth: known.depth, extension }
      : this.places.shape(value, extension);
    return formatPathToken(
      this.remember('path', value, () => pseudonymMac(this.key, 'path', value)),
      shape,
    );
  }

  /** The extension a file event may show: `.pdf`, or `.~<6 hex>` for an unusual one. */
  extension(path: string): string {
    return tokenExtension(this.key, path);
  }

  private remember(kind: string, value: string, compute: () => string): string {
    const key = `${kind}\0${value}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const token = compute();
    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, token);
    return token;
  }
}

function asClass(value: string): PathFolderClass {
  return value === 'phi' || value === 'system' || value === 'removable' ? value : 'other';
}
