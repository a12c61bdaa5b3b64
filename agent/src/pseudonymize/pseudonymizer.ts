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
import { TokenMemo } from './token-memo';

export interface PseudonymizerOptions {
  /** The agent's watched folders with their classes (`watch.folders` of the config). */
  folders?: readonly ClassifiedFolder[];
}

/** What the collector already knows about a path's place (file events). */
export interface KnownPlace {
  folderClass: string;
  depth: number;
}

/** Tokens remembered per kind (token-memo.ts). Paths: a ward's working set of files, ~3 MB when full. */
const MEMO_SIZE = 4_096;
const PATH_MEMO_SIZE = 16_384;

export class Pseudonymizer {
  private readonly key: Buffer;
  readonly places: PathClassifier;
  private readonly users = new TokenMemo(MEMO_SIZE);
  private readonly ips = new TokenMemo(MEMO_SIZE);
  private readonly hosts = new TokenMemo(MEMO_SIZE);
  private readonly paths = new TokenMemo<PathFacts>(PATH_MEMO_SIZE);
  private readonly userToken = (value: string) => pseudonymOf(this.key, 'user', value);
  private readonly ipToken = (value: string) => pseudonymOf(this.key, 'ip', value);
  private readonly hostToken = (value: string) => pseudonymOf(this.key, 'host', value);
  /** What of a path depends on its text alone (all but its place, which a mount can change). */
  private readonly pathFacts = (value: string): PathFacts => {
    const clear = clearSystemPath(value);
    return {
      clear,
      mac: clear === undefined ? pseudonymMac(this.key, 'path', value) : '',
      extension: tokenExtension(this.key, value),
    };
  };

  constructor(key: Uint8Array, options: PseudonymizerOptions = {}) {
    assertSiteKey(key);
    this.key = Buffer.from(key);
    this.places = new PathClassifier(options.folders);
  }

  /** `u_…`, or the account name when it belongs to the OS (root, SYSTEM). */
  user(value: string): string {
    return this.users.get(value, this.userToken);
  }

  /** `ip_…`, or a loopback / unspecified address as it is. */
  ip(value: string): string {
    return this.ips.get(value, this.ipToken);
  }

  /** `h_…`; a host given as an address is an address (`ip_…`), so both correlate. */
  host(value: string): string {
    return this.hosts.get(value, this.hostToken);
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
    const facts = this.paths.get(value, this.pathFacts);
    if (facts.clear !== undefined) return facts.clear;
    const { extension } = facts;
    const shape = known
      ? { folderClass: asClass(known.folderClass), depth: known.depth, extension }
      : this.places.shape(value, extension);
    return formatPathToken(facts.mac, shape);
  }

  /** The extension a file event may show: `.pdf`, or `.~<6 hex>` for an unusual one. */
  extension(path: string): string {
    if (path.trim() === '') return tokenExtension(this.key, path);
    return this.paths.get(path, this.pathFacts).extension;
  }
}

interface PathFacts {
  /** The path itself when it may stay in clear (system software), else undefined. */
  clear: string | undefined;
  /** The MAC part of its token (empty when clear). */
  mac: string;
  extension: string;
}

function asClass(value: string): PathFolderClass {
  return value === 'phi' || value === 'system' || value === 'removable' ? value : 'other';
}
