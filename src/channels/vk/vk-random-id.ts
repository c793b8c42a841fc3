/**
 * `random_id` of `messages.send` for an outbox idempotency key: a stable, non-zero, 31-bit
 * FNV-1a hash. The same key always gives the same id, so VK drops a retried send
 * (0 would switch VK's deduplication off, hence never 0).
 */
export function vkRandomId(idempotencyKey: string): number {
  let hash = 0x811c9dc5;
  const bytes = new TextEncoder().encode(idempotencyKey);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff || 1;
}
