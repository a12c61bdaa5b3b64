// A bounded map that keeps what was used recently, for caches and memories keyed by paths,
// users or processes. Why not a Map evicting `keys().next()`: V8 leaves a deleted entry as a
// hole until the table is rebuilt, and finding the first live key walks every hole before it,
// so each eviction from a full Map of 100,000 costs ~35 µs (16,384: ~4 µs; 1,024: ~0.8 µs),
// measured on the agent's machine. Here entries live in two generations: new and touched ones
// go to the young Map; when it holds half the capacity it becomes the old one and the old one
// is dropped whole. No iteration, no holes to walk: a miss costs ~0.4 µs at any size.
//
// Guarantee: the most recent `capacity / 2` distinct keys (set or read) are always kept, and
// never more than `capacity` are held. Between those bounds it forgets the least recently
// used generation first, which is what an LRU of that size would mostly do.

/** Values are never undefined: undefined is how `get` says "not held" in one lookup. */
export class RecentMap<K, V extends NonNullable<unknown> | null> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(readonly capacity: number) {
    if (!(capacity >= 2)) throw new RangeError(`capacity must be at least 2, got ${capacity}`);
    this.half = Math.floor(capacity / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The value, marked as recently used; undefined when not held. */
  get(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old === undefined) return undefined;
    this.old.delete(key);
    this.keep(key, old);
    return old;
  }

  has(key: K): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  set(key: K, value: V): this {
    const held = this.young.size;
    this.young.set(key, value);
    if (this.young.size > held) {
      // New to the young generation: not a second copy in the old one, and maybe a new generation.
      this.old.delete(key);
      this.rotateWhenFull();
    }
    return this;
  }

  delete(key: K): boolean {
    return this.young.delete(key) || this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** Older generation first. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.old;
    yield* this.young;
  }

  keys(): IterableIterator<K> {
    return mapIterator(this.entries(), ([key]) => key);
  }

  values(): IterableIterator<V> {
    return mapIterator(this.entries(), ([, value]) => value);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  private keep(key: K, value: V): void {
    this.young.set(key, value);
    this.rotateWhenFull();
  }

  private rotateWhenFull(): void {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

/** The keys of a RecentMap: what was added recently, the least recently added generation forgotten first. */
export class RecentSet<K> {
  private readonly map: RecentMap<K, true>;

  constructor(capacity: number) {
    this.map = new RecentMap(capacity);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Added anew or again: kept as recently used. */
  add(key: K): this {
    this.map.set(key, true);
    return this;
  }

  [Symbol.iterator](): IterableIterator<K> {
    return this.map.keys();
  }
}

function* mapIterator<T, U>(items: Iterable<T>, map: (item: T) => U): IterableIterator<U> {
  for (const item of items) yield map(item);
}
