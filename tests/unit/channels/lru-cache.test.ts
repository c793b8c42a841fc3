import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../src/channels/lru-cache.js';
import { ManualClock } from '../../helpers/index.js';

describe('LruCache', () => {
  it('should drop the least recently used entry past its capacity', () => {
    const clock = new ManualClock();
    const cache = new LruCache<number, string>({ capacity: 2, ttlMs: 60_000, clock: clock.now });
    cache.set(1, 'a');
    cache.set(2, 'b');
    expect(cache.get(1)).toBe('a');
    cache.set(3, 'c');
    expect(cache.has(2)).toBe(false);
    expect([cache.get(1), cache.get(3), cache.size]).toEqual(['a', 'c', 2]);
  });

  it('should forget an entry once its ttl has passed, and renew it when set again', () => {
    const clock = new ManualClock();
    const cache = new LruCache<number, string | null>({ capacity: 10, ttlMs: 1_000, clock: clock.now });
    cache.set(1, null);
    cache.set(2, 'b');
    clock.advance(999);
    expect(cache.has(1)).toBe(true);
    expect(cache.get(1)).toBeNull();
    clock.advance(1);
    expect(cache.has(1)).toBe(false);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(2, 'b2');
    expect(cache.get(2)).toBe('b2');
  });

  it('should refuse a capacity that is not a positive integer', () => {
    expect(() => new LruCache({ capacity: 0, ttlMs: 1, clock: Date.now })).toThrow(/capacity/);
  });
});
