import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../../src/domain/outbound.js';
import type { Db } from '../../../src/store/db.js';
import { laneKeyOf, type OutboxStore } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb } from '../../helpers/index.js';

let db: Db;
let store: OutboxStore;
const NOW = Date.UTC(2026, 10, 23, 7, 0, 0);

const vk = (groupId: number, commentId: number): Destination => ({ kind: 'vk_comment', groupId, postId: 1, replyToCommentId: commentId });
const tg = (chatId: number): Destination => ({ kind: 'telegram', chatId, replyToMessageId: 1 });

function enqueue(key: string, destination: Destination, at = NOW): void {
  store.enqueue({ idempotencyKey: key, purpose: 'ack', message: { destination, text: key, format: 'plain' } }, at);
}

beforeEach(() => {
  db = freshDb();
  store = createStores(db).outbox;
});

afterEach(() => db.close());

describe('OutboxStore.claimDue', () => {
  it('should take one row per destination in turn, oldest first within each, so a burst in one community leaves room for the others', () => {
    for (let i = 1; i <= 4; i += 1) enqueue(`a${i}`, vk(100, i));
    enqueue('b1', vk(200, 1));
    enqueue('b2', vk(200, 2));
    enqueue('c1', vk(300, 1));
    const claimed = store.claimDue(NOW, 5, 60_000, 'vk').map((c) => c.idempotencyKey);
    expect(claimed).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
    expect(store.claimDue(NOW, 5, 60_000, 'vk').map((c) => c.idempotencyKey)).toEqual(['a3', 'a4']);
  });

  it('should keep rows that are not due, and tell Telegram chats apart by chat', () => {
    enqueue('later', tg(-5), NOW + 1000);
    enqueue('x1', tg(-5));
    enqueue('x2', tg(-5));
    enqueue('y1', tg(42));
    expect(store.claimDue(NOW, 10, 60_000, 'telegram').map((c) => c.idempotencyKey)).toEqual(['x1', 'y1', 'x2']);
  });
});

describe('OutboxStore.claimDue by priority and lane caps', () => {
  const card = (key: string, chatId: number, priority = 0) =>
    store.enqueue({ idempotencyKey: key, purpose: 'card', priority, message: { destination: { kind: 'telegram', chatId }, text: key, format: 'plain' } }, NOW);

  it("should take a destination's rows by priority, then oldest first", () => {
    card('card 1', -5);
    card('card 2', -5);
    card('emergency', -5, 1);
    card('summary', -5, 3);
    card('card 3', -5);
    expect(store.claimDue(NOW, 10, 60_000, 'telegram').map((c) => [c.idempotencyKey, c.priority])).toEqual([
      ['summary', 3],
      ['emergency', 1],
      ['card 1', 0],
      ['card 2', 0],
      ['card 3', 0],
    ]);
  });

  it('should take no more of a capped lane than its cap, and what any other lane has', () => {
    for (let i = 1; i <= 4; i += 1) card(`moderators ${i}`, -5);
    card('moderators reply', -5, 4);
    for (let i = 1; i <= 3; i += 1) card(`private ${i}`, 42);
    const caps = { [laneKeyOf({ kind: 'telegram', chatId: -5 })]: 2 };
    expect(store.claimDue(NOW, 10, 60_000, 'telegram', new Set(), caps).map((c) => c.idempotencyKey)).toEqual([
      'moderators reply',
      'private 1',
      'moderators 1',
      'private 2',
      'private 3',
    ]);
    expect(store.claimDue(NOW, 10, 60_000, 'telegram', new Set(), { ...caps, [laneKeyOf({ kind: 'telegram', chatId: -5 })]: 0 })).toEqual([]);
  });

  it('should move a waiting row ahead with promote(), and not a sent one', () => {
    card('card 1', -5);
    card('card 2', -5);
    expect(store.promote('telegram', 'card 2', 4, NOW)).toBe(true);
    const [first] = store.claimDue(NOW, 1, 60_000, 'telegram');
    expect(first).toMatchObject({ idempotencyKey: 'card 2', priority: 4 });
    store.complete(first!, '1', NOW);
    expect(store.promote('telegram', 'card 2', 4, NOW)).toBe(false);
  });
});

describe('OutboxStore.backlog', () => {
  it('should count rows by state, the due ones among the pending, and date the oldest pending row', () => {
    expect(store.backlog(NOW)).toEqual({ pending: 0, due: 0, dead: 0, sent: 0, oldestPendingAt: null });
    enqueue('sent', tg(1), NOW - 3000);
    store.complete(store.claimDue(NOW, 1, 60_000, 'telegram')[0]!, '7', NOW);
    enqueue('dead', tg(2), NOW - 2000);
    store.fail(store.claimDue(NOW, 1, 60_000, 'telegram')[0]!, 'refused', NOW, true);
    enqueue('due', tg(3), NOW - 1000);
    enqueue('later', tg(4), NOW + 5000);
    expect(store.backlog(NOW)).toEqual({ pending: 2, due: 1, dead: 1, sent: 1, oldestPendingAt: NOW - 1000 });
    expect(store.backlog()).toMatchObject({ pending: 2, due: 2 });
  });
});

describe('OutboxStore.replacePending', () => {
  it('should rewrite the pending rows whose key starts with the prefix, and no other key', () => {
    for (const key of ['card-edit:1:a', 'card-edit:1:b', 'card-edit:12:a', 'card-edit:1;', 'card-edit:1', 'card-edit:0:z']) enqueue(key, tg(-5));
    enqueue('card-edit:1:sent', tg(-5));
    const [sent] = store.claimDue(NOW, 1, 60_000, 'telegram', new Set(store.claimDue(NOW, 6, 60_000, 'telegram').map((c) => c.id)));
    expect(sent?.idempotencyKey).toBe('card-edit:1:sent');
    store.complete(sent!, '77', NOW);
    // Release the leases of the first claim by letting them expire.
    expect(store.replacePending('telegram', { prefix: 'card-edit:1:' }, { text: 'new', format: 'plain' }, NOW + 60_000)).toBe(2);
    const texts = db.prepare("SELECT idempotency_key AS key, text FROM outbox WHERE text = 'new' ORDER BY idempotency_key").all();
    expect(texts).toEqual([
      { key: 'card-edit:1:a', text: 'new' },
      { key: 'card-edit:1:b', text: 'new' },
    ]);
    expect(store.replacePending('vk', { prefix: 'card-edit:1:' }, { text: 'vk', format: 'plain' }, NOW + 60_000)).toBe(0);
    expect(() => store.replacePending('telegram', { prefix: '' }, { text: 'all', format: 'plain' }, NOW)).toThrow(/empty prefix/);
  });
});
