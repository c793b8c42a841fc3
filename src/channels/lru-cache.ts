/** Options of an LruCache. */
export interface LruCacheOptions {
  /** Most entries kept; the least recently used one is dropped past it. */
  capacity: number;
  /** How long an entry stays valid after it was set, in milliseconds. */
  ttlMs: number;
  /** Epoch milliseconds; a ManualClock in tests. */
  clock: () => number;
}

/**
 * A bounded in-memory cache: at most `capacity` entries, each valid for `ttlMs` after it was set.
 * Used where a remote lookup (a VK user's name) is cheap to repeat but should not be repeated
 * for every message: memory stays bounded however many distinct keys pass through. A Map keeps
 * insertion order, so re-inserting on use makes its first key the least recently used.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(private readonly options: LruCacheOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new Error('LruCache capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` holds a live entry (its value may itself be null or undefined). */
  has(key: K): boolean {
    return this.live(key) !== undefined;
  }

  /** The live value of `key`, marking it recently used; undefined when absent or expired. */
  get(key: K): V | undefined {
    return this.live(key)?.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.options.clock() + this.options.ttlMs });
    while (this.entries.size > this.options.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  private live(key: K): { value: V; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.options.clock()) return undefined;
    this.entries.set(key, entry);
    return entry;
  }
}
