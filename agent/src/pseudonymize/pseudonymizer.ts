// Keyed pseudonyms: under the per-site key the manager hands out at enrollment
// (local-key mode), or from the manager's OPRF without any key here (OPRF mode); see
// token-source.ts. The token format lives in `@wardwatch/shared/pseudonyms`, the one
// place the manager also uses when a privacy officer re-identifies; this class adds
// what only the workstation knows: which folders hold patient data, what is
// mounted. The few values that stay in clear are named in the shared `clear-values.ts`.
//
// In OPRF mode a value may not have a token yet: its method then answers '' (never the
// clear value), counts a miss and remembers nothing, and the pipeline holds the event
// back until the token arrives (`misses` is read around one event). Other parts that
// need tokens (score reasons, a command's target account, the active session's user)
// run their computation through `complete`, which gives its result only once it ran
// without a miss — an empty string never stands in for a token that is merely late.
// Values asked inside `complete` go to the manager before those of events (the token
// source's urgent lane): a score must not wait behind a burst of new file names.
import {
  clearSystemPath,
  formatPathToken,
  pseudonymPrefixes,
  pseudonymWith,
  type PathFolderClass,
  type PseudonymKind,
} from '@wardwatch/shared/pseudonyms';
import { PathClassifier, type ClassifiedFolder } from '../paths/path-classifier';
import { LocalKeyTokens, type TokenSource } from './token-source';
import { TokenMemo } from './token-memo';

/** A computation's result now (every token known), or later (once the tokens it asked for arrive). */
export type Completed<T> = { now: T } | { later: Promise<T> };

export interface CompleteOptions {
  /** Gives up (rejects with TokensNotReady) after this long; default: never. */
  timeoutMs?: number;
  /** Gives up (rejects with TokensNotReady) when aborted (the part shuts down). */
  signal?: AbortSignal;
}

/** The tokens a computation needs did not arrive in time (manager unreachable, or refusing). */
export class TokensNotReady extends Error {
  constructor(why: string) {
    super(`pseudonym tokens not ready: ${why}`);
    this.name = 'TokensNotReady';
  }
}

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
  private readonly source: TokenSource;
  /** Values asked for whose token was not known (OPRF mode); only ever grows. */
  private missCount = 0;
  readonly places: PathClassifier;
  private readonly users = new TokenMemo(MEMO_SIZE);
  private readonly ips = new TokenMemo(MEMO_SIZE);
  private readonly hosts = new TokenMemo(MEMO_SIZE);
  private readonly paths = new TokenMemo<PathFacts>(PATH_MEMO_SIZE);
  private readonly token = (kind: PseudonymKind, value: string): string => {
    const mac = this.source.mac(kind, value);
    if (mac !== undefined) return `${pseudonymPrefixes[kind]}_${mac}`;
    this.missCount += 1;
    return '';
  };
  private readonly userToken = (value: string) => pseudonymWith(this.token, 'user', value);
  private readonly ipToken = (value: string) => pseudonymWith(this.token, 'ip', value);
  private readonly hostToken = (value: string) => pseudonymWith(this.token, 'host', value);
  /** What of a path depends on its text alone (all but its place, which a mount can change). */
  private readonly pathFacts = (value: string): PathFacts => {
    const clear = clearSystemPath(value);
    let mac = '';
    if (clear === undefined) {
      const known = this.source.mac('path', value);
      if (known === undefined) this.missCount += 1;
      mac = known ?? '';
    }
    const extension = this.source.extension(value);
    if (extension === undefined) this.missCount += 1;
    return { clear, mac, extension: extension ?? '' };
  };

  constructor(source: Uint8Array | TokenSource, options: PseudonymizerOptions = {}) {
    this.source = source instanceof Uint8Array ? new LocalKeyTokens(source) : source;
    this.places = new PathClassifier(options.folders);
  }

  /** How many values had no token yet since this object was made (always 0 in local-key mode). */
  get misses(): number {
    return this.missCount;
  }

  /**
   * Runs `compute` (which calls this object's methods) and gives its result once no value it
   * named lacked a token: at once in local-key mode or when the cache knows them all; else it
   * runs again after each batch of tokens arrives (the values it asked for are wanted, so the
   * fetcher asks the manager for them) until it completes, times out or is aborted.
   */
  complete<T>(compute: () => T, options: CompleteOptions = {}): Completed<T> {
    const before = this.missCount;
    const value = this.prioritized(compute);
    if (this.missCount === before) return { now: value };
    return { later: this.completeLater(compute, options) };
  }

  /** `complete`, always as a promise. */
  async completed<T>(compute: () => T, options: CompleteOptions = {}): Promise<T> {
    const made = this.complete(compute, options);
    return 'now' in made ? made.now : made.later;
  }

  private prioritized<T>(compute: () => T): T {
    return this.source.prioritized ? this.source.prioritized(compute) : compute();
  }

  private completeLater<T>(compute: () => T, { timeoutMs, signal }: CompleteOptions): Promise<T> {
    const subscribe = this.source.subscribe?.bind(this.source);
    if (!subscribe) return Promise.reject(new TokensNotReady('this token source has no late tokens'));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void) => {
        unsubscribe();
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        outcome();
      };
      const aborted = () => finish(() => reject(new TokensNotReady('stopped while waiting')));
      const unsubscribe = subscribe(() => {
        const before = this.missCount;
        try {
          const value = this.prioritized(compute);
          if (this.missCount === before) finish(() => resolve(value));
        } catch (error) {
          finish(() => reject(error instanceof Error ? error : new Error(String(error))));
        }
      });
      if (signal?.aborted) {
        aborted();
        return;
      }
      signal?.addEventListener('abort', aborted, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => finish(() => reject(new TokensNotReady(`none within ${timeoutMs} ms`))), timeoutMs);
        timer.unref();
      }
    });
  }

  /** `u_…`, or the account name when it belongs to the OS (root, SYSTEM). */
  user(value: string): string {
    return this.remembered(this.users, value, this.userToken);
  }

  /** `ip_…`, or a loopback / unspecified address as it is. */
  ip(value: string): string {
    return this.remembered(this.ips, value, this.ipToken);
  }

  /** `h_…`; a host given as an address is an address (`ip_…`), so both correlate. */
  host(value: string): string {
    return this.remembered(this.hosts, value, this.hostToken);
  }

  /** `d_…` for a device serial number. */
  device(value: string): string {
    return pseudonymWith(this.token, 'device', value);
  }

  /**
   * `p_<class>_d<depth>_<mac><.ext>`, or the path itself under a system software
   * folder. `known` is the collector's class and depth (file events); without it
   * the classifier decides.
   */
  path(value: string, known?: KnownPlace): string {
    if (value.trim() === '') return '';
    const facts = this.remembered(this.paths, value, this.pathFacts);
    if (facts.clear !== undefined) return facts.clear;
    if (facts.mac === '') return ''; // not known yet (OPRF mode): counted as a miss
    const { extension } = facts;
    const shape = known
      ? { folderClass: asClass(known.folderClass), depth: known.depth, extension }
      : this.places.shape(value, extension);
    return formatPathToken(facts.mac, shape);
  }

  /** The extension a file event may show: `.pdf`, or `.~<6 hex>` for an unusual one. */
  extension(path: string): string {
    if (path.trim() === '') return '';
    return this.remembered(this.paths, path, this.pathFacts).extension;
  }

  /** Memoised only when complete: a value still waiting for its token is asked again next time. */
  private remembered<T extends NonNullable<unknown>>(
    memo: TokenMemo<T>,
    value: string,
    compute: (value: string) => T,
  ): T {
    const before = this.missCount;
    return memo.get(value, compute, () => this.missCount === before);
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
