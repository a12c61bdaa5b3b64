// Tokens already computed, per kind of value: users, addresses and busy files
// repeat, and the HMAC (with the canonical form before it) is a pseudonym's main
// cost. Least recently used first out, so a working set that fits stays whole
// whatever passes through once.

export class TokenMemo<T = string> {
  private readonly tokens = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.tokens.size;
  }

  /** The token of `value`, computed once while it stays among the `capacity` most recently used. */
  /** `keep` (after computing) says whether the result may be remembered; an incomplete one is not. */
  get(value: string, compute: (value: string) => T, keep: () => boolean = () => true): T {
    const known = this.tokens.get(value);
    if (known !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so its head is the least recently used.
      this.tokens.delete(value);
      this.tokens.set(value, known);
      return known;
    }
    const token = compute(value);
    if (!keep()) return token;
    if (this.tokens.size >= this.capacity) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(value, token);
    return token;
  }

  /** The remembered token, marked as recently used; undefined when not remembered. */
  peek(value: string): T | undefined {
    const known = this.tokens.get(value);
    if (known === undefined) return undefined;
    this.tokens.delete(value);
    this.tokens.set(value, known);
    return known;
  }

  /** Least recently used first. */
  entries(): IterableIterator<[string, T]> {
    return this.tokens.entries();
  }

  clear(): void {
    this.tokens.clear();
  }
}
