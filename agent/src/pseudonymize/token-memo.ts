// Tokens already computed, per kind of value: users, addresses and busy files
// repeat, and the HMAC (with the canonical form before it) is a pseudonym's main
// cost. The most recently used are kept (RecentMap), so a working set that fits
// stays whole whatever passes through once.
import { RecentMap } from '@wardwatch/shared/agent';

export class TokenMemo<T extends NonNullable<unknown> = string> {
  private readonly tokens: RecentMap<string, T>;

  /** Holds at most `capacity` tokens; the `capacity / 2` most recently used always. */
  constructor(capacity: number) {
    this.tokens = new RecentMap(capacity);
  }

  get size(): number {
    return this.tokens.size;
  }

  /** The token of `value`, computed once while it stays among the most recently used. */
  /** `keep` (after computing) says whether the result may be remembered; an incomplete one is not. */
  get(value: string, compute: (value: string) => T, keep: () => boolean = () => true): T {
    const known = this.tokens.get(value);
    if (known !== undefined) return known;
    const token = compute(value);
    if (keep()) this.tokens.set(value, token);
    return token;
  }

  /** The remembered token, marked as recently used; undefined when not remembered. */
  peek(value: string): T | undefined {
    return this.tokens.get(value);
  }

  /** Least recently used first (by generation). */
  entries(): IterableIterator<[string, T]> {
    return this.tokens.entries();
  }

  clear(): void {
    this.tokens.clear();
  }
}
