// Tokens from the manager's OPRF (RFC 9497, ristretto255-SHA512, base mode) without any
// key on the workstation. Invariants:
// - a value's clear text never leaves: only its blinded element (a random-looking group
//   element, different at every request) goes to the manager; the token is computed here
//   by unblinding and finalizing;
// - a value without a token answers undefined (the caller holds its event back) and is
//   remembered as wanted — at most `maxWanted`, beyond which it is counted and asked again
//   the next time it is seen;
// - a file path and an address are not PRF values of their own: the PRF is asked for their
//   GROUP — the path's folder, the address's network (/24, /64) — and the value's MAC is
//   computed here from the group's output (oprfGroupedMac, shared with the manager's
//   re-identification). The cache holds that group key (32 bytes); a new file in a folder,
//   or a new address in a network, already cached needs no call; a new group is wanted,
//   never the value. A value of kind `ip` that is not an address is its own PRF value;
// - the cache is bounded (least recently used out) and tied to the manager's key id: an
//   answer under another key empties it (and the MACs computed from its group keys), so two
//   token spaces never mix;
// - two lanes of wanted values, each first-come first-served: `urgent` (asked inside
//   `prioritized`: a score, a command's account, the session user) and `bulk` (events). A
//   call carries urgent values alone whenever any wait, marked as priority (the manager
//   keeps a small reserve of its rate for those), so a burst of new file paths cannot put a
//   score's tokens behind it; a value asked in both lanes moves to urgent, never in both;
// - the urgent lane is bounded by `maxUrgent` (a hostile or buggy caller cannot turn every
//   value urgent): beyond it a value waits in bulk, counted.
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  canonicalForm,
  canonicalNetwork,
  extensionMacOfOprfOutput,
  folderOfCanonicalPath,
  groupKeyOfOprfOutput,
  keptExtension,
  macOfOprfOutput,
  oprfGroupedMacOfCanonical,
  oprfInputOfCanonical,
  oprfInputText,
  type GroupedKind,
  type OprfGroupKind,
  type OprfValueKind,
  type PseudonymKind,
} from '@wardwatch/shared/pseudonyms';
import type { TokenSource } from '../token-source';
import { TokenMemo } from '../token-memo';

/** What answers blinded elements: the manager over mutual TLS (manager-evaluator.ts), or a test's key. */

/**
 * The agent's libsodium is never optimised by V8 (baseline code only): ~1 MB less idle RSS
 * in the footprint bench for ~1.6x the CPU per new value, which a warm cache makes rare
 * (docs/privacy.md).
 */
export const AGENT_OPRF_LOAD = { optimise: false } as const;

export interface OprfEvaluator {
  evaluate(blinded: Uint8Array[], options?: EvaluateOptions): Promise<{ evaluated: Uint8Array[]; keyId: string }>;
}

export interface OprfTokensOptions {
  /** Values (clear → token, folder or network → key) kept; ~100-150 bytes each. */
  cacheSize?: number;
  /** Path and address MACs computed from cached group keys, kept (not saved: recomputed from the key). */
  /** Values waiting for a token at most. */
  maxWanted?: number;
  /** Group keys kept ready for HMAC (of the folders and networks in use). */
  groupKeyMemoSize?: number;
  /** Values per EvaluatePseudonyms call (the manager's cap is 64 by default). */
  batchSize?: number;
  /** Values waiting in the urgent lane at most. */
  maxUrgent?: number;
}

/** What a call carries: priority when its values are all from the urgent lane. */
export interface EvaluateOptions {
  priority: boolean;
}

export interface CachedToken {
  /** `<kind> NUL <canonical form>` (oprfInput), the cache's key. */
  input: string;
  /** The PRF output's first 16 hex digits; for a `folder` or `network` input its first 32 bytes (64 hex), the group key. */
  value: string;
}

/** True for a cache key naming a folder or a network (its value is a group key, not a MAC). */
export function isGroupInput(input: string): boolean {
  return input.startsWith('folder\0') || input.startsWith('network\0');
}

export class OprfTokens implements TokenSource {
  readonly mode = 'oprf';
  private readonly cache: TokenMemo<string>;
  /**
   * A group's cache key → its key as a KeyObject, ready for HMAC. A member's MAC itself is not
   * memoised here: the Pseudonymizer memoises each value's token already.
   */
  private readonly groupKeys: TokenMemo<KeyObject>;
  /** Values events wait for, in the order first asked. */
  private readonly wanted = new Set<string>();
  /** Values a score, a command or the session user waits for; asked before `wanted`. */
  private readonly urgent = new Set<string>();
  private readonly maxWanted: number;
  private readonly maxUrgent: number;
  private readonly batchSize: number;
  /** > 0 while a `prioritized` computation runs. */
  private urgentDepth = 0;
  private currentKeyId: string | undefined;
  private droppedWanted = 0;
  private urgentOverflow = 0;
  /** Told when a value becomes wanted (the fetcher schedules a call); `urgent` for the urgent lane. */
  onWanted: (urgent: boolean) => void = () => {};
  /** Told after each batch of tokens is stored (Pseudonymizer.complete retries then). */
  private readonly arrivalListeners = new Set<() => void>();

  constructor(options: OprfTokensOptions = {}, stored?: { keyId: string; tokens: readonly CachedToken[] }) {
    this.cache = new TokenMemo(options.cacheSize ?? 65_536);
    this.groupKeys = new TokenMemo(options.groupKeyMemoSize ?? 4_096);
    this.maxWanted = options.maxWanted ?? 100_000;
    this.maxUrgent = options.maxUrgent ?? 1_024;
    this.batchSize = options.batchSize ?? 64;
    if (stored) {
      this.currentKeyId = stored.keyId;
      for (const { input, value } of stored.tokens) this.cache.get(input, () => value);
    }
  }

  mac(kind: PseudonymKind, value: string): string | undefined {
    if (kind === 'path') return this.groupedMac('folder', kind, value);
    if (kind === 'ip' && canonicalNetwork(value) !== undefined) return this.groupedMac('network', kind, value);
    return this.lookup(kind, value);
  }

  extension(path: string): string | undefined {
    let missing = false;
    const kept = keptExtension(path, (unusual) => {
      const mac = this.lookup('extension', unusual);
      if (mac === undefined) missing = true;
      return extensionMacOfOprfOutput(Buffer.from(mac ?? '', 'hex'));
    });
    return missing ? undefined : kept;
  }

  /** Runs `compute`; the values it asks for without a token go in the urgent lane. */
  prioritized<T>(compute: () => T): T {
    this.urgentDepth += 1;
    try {
      return compute();
    } finally {
      this.urgentDepth -= 1;
    }
  }

  subscribe(listener: () => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  get keyId(): string | undefined {
    return this.currentKeyId;
  }

  get pending(): number {
    return this.wanted.size + this.urgent.size;
  }

  get pendingUrgent(): number {
    return this.urgent.size;
  }

  get stats() {
    return {
      cached: this.cache.size,
      groupKeys: this.groupKeys.size,
      wanted: this.wanted.size,
      urgent: this.urgent.size,
      droppedWanted: this.droppedWanted,
      urgentOverflow: this.urgentOverflow,
    };
  }

  /** What the cache holds, least recently used first (for cache-file.ts). */
  entries(): CachedToken[] {
    return [...this.cache.entries()].map(([input, value]) => ({ input, value }));
  }

  /**
   * Asks for up to one batch of wanted values; resolves with how many tokens arrived.
   * Rejects (wanted values kept) when the manager cannot be reached or refuses.
   */
  async fetch(evaluator: OprfEvaluator): Promise<number> {
    // The group library (libsodium in WebAssembly, else noble) loads at the first fetch only.
    const { suite: oprf } = await loadOprfSuite(AGENT_OPRF_LOAD);
    const priority = this.urgent.size > 0;
    const inputs = [...(priority ? this.urgent : this.wanted)].slice(0, this.batchSize);
    if (inputs.length === 0) return 0;
    const blinds = inputs.map((input) => ({
      input,
      bytes: Buffer.from(input, 'utf8'),
      ...oprf.blind(Buffer.from(input, 'utf8')),
    }));
    const answer = await evaluator.evaluate(
      blinds.map((b) => b.blinded),
      { priority },
    );
    if (answer.evaluated.length !== blinds.length)
      throw new Error(`the manager answered ${answer.evaluated.length} values for ${blinds.length}`);
    if (this.currentKeyId !== undefined && this.currentKeyId !== answer.keyId) {
      this.cache.clear();
      this.groupKeys.clear();
    }
    this.currentKeyId = answer.keyId;
    blinds.forEach((b, i) => {
      const output = oprf.finalize(b.bytes, b.blind, answer.evaluated[i]);
      this.cache.get(b.input, () =>
        isGroupInput(b.input) ? groupKeyOfOprfOutput(output).toString('hex') : macOfOprfOutput(output),
      );
      this.wanted.delete(b.input);
      this.urgent.delete(b.input);
    });
    // A copy: a listener whose computation is now complete unsubscribes while we iterate.
    for (const listener of [...this.arrivalListeners]) listener();
    return blinds.length;
  }

  /** A path's or an address's MAC from its group's cached key; else undefined, and the group is wanted. */
  private groupedMac(group: OprfGroupKind, kind: GroupedKind, value: string): string | undefined {
    // Canonical once: a path's folder is read off its canonical form (canonicalFolder would redo it).
    const canonical = canonicalForm(kind, value);
    const input =
      group === 'folder' ? oprfInputOfCanonical(group, folderOfCanonicalPath(canonical)) : oprfInputText(group, value);
    let key = this.groupKeys.peek(input);
    if (key === undefined) {
      const hex = this.lookupInput(input);
      if (hex === undefined) return undefined;
      key = this.groupKeys.get(input, () => createSecretKey(Buffer.from(hex, 'hex')));
    }
    return oprfGroupedMacOfCanonical(key, kind, canonical);
  }

  /** The cached MAC (or, for a group, its key) of a value; else undefined, and the value is wanted. */
  private lookup(kind: OprfValueKind, value: string): string | undefined {
    return this.lookupInput(oprfInputText(kind, value));
  }

  private lookupInput(input: string): string | undefined {
    const known = this.cache.peek(input);
    if (known !== undefined) return known;
    if (this.urgent.has(input)) return undefined;
    if (this.urgentDepth > 0) {
      if (this.urgent.size < this.maxUrgent) {
        this.wanted.delete(input);
        this.urgent.add(input);
        this.onWanted(true);
        return undefined;
      }
      this.urgentOverflow += 1;
    }
    if (!this.wanted.has(input)) {
      if (this.wanted.size >= this.maxWanted) {
        this.droppedWanted += 1;
        return undefined;
      }
      this.wanted.add(input);
      this.onWanted(false);
    }
    return undefined;
  }
}
