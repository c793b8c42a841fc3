import { describe, expect, it } from 'vitest';
import { announceTargetKey, type OutboxKey, outboxKey, outboxKeyPrefix, parseOutboxKey } from '../../../src/outbox/outbox-key.js';

const KEYS: OutboxKey[] = [
  { kind: 'card', incidentId: 12 },
  { kind: 'card-edit', incidentId: 12, reason: { kind: 'press', pressId: 'cb:77' } },
  { kind: 'card-edit', incidentId: 12, reason: { kind: 'event', eventId: 45 } },
  { kind: 'card-edit', incidentId: 12, reason: { kind: 'delivered' } },
  { kind: 'card-answered', incidentId: 12, eventId: 40 },
  { kind: 'ack', incidentId: 3 },
  { kind: 'followup-ack', incidentId: 3, authorKey: 'telegram:1001' },
  { kind: 'status', incidentId: 3, eventId: 9, messageId: 31 },
  { kind: 'review', messageId: 8 },
  { kind: 'reply', messageId: 8 },
  { kind: 'press', pressId: 'abc:def' },
  { kind: 'prompt', incidentId: 5, action: 'answer', pressId: '4451' },
  { kind: 'remind', incidentId: 5, deadline: 'accept', stage: 'missed', dueAt: 1_790_000_000_000 },
  { kind: 'spike', spikeId: 2 },
  { kind: 'digest', date: '2026-12-03' },
  { kind: 'digest-chart', date: '2026-12-03' },
  { kind: 'announce', announcementId: 4, target: 'reply:7:19' },
  { kind: 'alert-fatal', subject: 'vk:lp:210002', day: '2026-11-23' },
  { kind: 'card-added', incidentId: 12, eventId: 41 },
  { kind: 'ack-linked', incidentId: 12, messageId: 90 },
  { kind: 'faq', messageId: 91 },
  { kind: 'private-help', authorKey: 'vk:300001', day: '2026-12-03' },
  { kind: 'card-media', incidentId: 12, part: 1 },
  { kind: 'remind-batch', at: 1_790_000_000_000, municipalityId: 'zarechensk' },
  { kind: 'remind-batch', at: 1_790_000_000_000, municipalityId: null },
  { kind: 'notice', subject: 'remind-1790000000000', moderator: 'vk:500001' },
  { kind: 'burst', summaryId: 3 },
  { kind: 'burst-edit', summaryId: 3, version: 17 },
  { kind: 'burst-open', pressId: 'cb:99' },
];

describe('outbox keys', () => {
  it('should read every kind of key back into the fields it was built from', () => {
    for (const key of KEYS) expect(parseOutboxKey(outboxKey(key))).toEqual(key);
  });

  it('should build the keys rows already in databases carry', () => {
    expect(KEYS.map(outboxKey)).toEqual([
      'card:12',
      'card-edit:12:press:cb:77',
      'card-edit:12:e45',
      'card-edit:12:delivered',
      'card-answered:12:40',
      'ack:3',
      'followup-ack:3:telegram:1001',
      'status:3:9:31',
      'review:8',
      'reply:8',
      'press:abc:def',
      'prompt:5:answer:4451',
      'remind:5:accept:missed:1790000000000',
      'spike:2',
      'digest:2026-12-03',
      'digest-chart:2026-12-03',
      'announce:4:reply:7:19',
      'alert:fatal:vk:lp:210002:2026-11-23',
      'card-added:12:41',
      'ack-linked:12:90',
      'faq:91',
      'private-help:vk:300001:2026-12-03',
      'card-media:12:1',
      'remind-batch:1790000000000:zarechensk',
      'remind-batch:1790000000000:~',
      'notice:remind-1790000000000:vk:500001',
      'burst:3',
      'burst-edit:3:17',
      'burst-open:cb:99',
    ]);
  });

  it('should build the announcement target keys rows already carry, each readable inside its announce key', () => {
    const targets = [
      announceTargetKey({ kind: 'vk-wall', groupId: 210002 }),
      announceTargetKey({ kind: 'telegram-chat', chatId: -1001 }),
      announceTargetKey({ kind: 'max-chat', chatId: -70 }),
      announceTargetKey({ kind: 'reply', incidentId: 4, messageId: 19 }),
    ];
    expect(targets).toEqual(['post:vk:210002', 'post:tg:-1001', 'post:max:-70', 'reply:4:19']);
    for (const target of targets)
      expect(parseOutboxKey(outboxKey({ kind: 'announce', announcementId: 7, target }))).toEqual({ kind: 'announce', announcementId: 7, target });
  });

  it('should give prefixes that only keys of that kind and incident start with', () => {
    expect(outboxKey({ kind: 'card-edit', incidentId: 1, reason: { kind: 'delivered' } }).startsWith(outboxKeyPrefix('card-edit', 1))).toBe(true);
    expect(outboxKey({ kind: 'card-edit', incidentId: 12, reason: { kind: 'delivered' } }).startsWith(outboxKeyPrefix('card-edit', 1))).toBe(false);
    expect(outboxKey({ kind: 'card', incidentId: 1 }).startsWith(outboxKeyPrefix('card'))).toBe(true);
    expect(outboxKey({ kind: 'card-edit', incidentId: 1, reason: { kind: 'delivered' } }).startsWith(outboxKeyPrefix('card'))).toBe(false);
    expect(outboxKey({ kind: 'faq', messageId: 3 }).startsWith(outboxKeyPrefix('faq'))).toBe(true);
    expect(outboxKey({ kind: 'prompt', incidentId: 1, action: 'ask', pressId: '1' }).startsWith(outboxKeyPrefix('prompt'))).toBe(true);
    expect(outboxKey({ kind: 'review', messageId: 1 }).startsWith(outboxKeyPrefix('review'))).toBe(true);
  });

  it('should refuse hostile and malformed keys without throwing', () => {
    const hostile = [
      '',
      ':',
      'card',
      'card:',
      'card:abc',
      'card:-1',
      'card:01',
      'card:1.5',
      'card:1e3',
      'card: 1',
      'card:1:2',
      'card:99999999999999999999',
      'card-edit:1:',
      'card-edit::x',
      'card-edit:1:x',
      'card-edit:1:e',
      'card-edit:1:e01',
      'card-edit:1:press:',
      'status:1:2',
      'status:1:2:3:4',
      'review:',
      'review:__proto__',
      'press:',
      'prompt:1:answer',
      'prompt:1::9',
      'prompt:x:answer:9',
      'remind:1:accept:soon:5',
      'remind:1:close:near:5',
      'remind:1:accept:near',
      'digest:today',
      'private-help:vk:1',
      'private-help::2026-12-03',
      'ack-linked:1',
      'faq:x',
      'digest:2026-12-03:x',
      'alert:fatal:vk:wall',
      'alert:fatal::2026-11-23',
      'alert:other:vk:2026-11-23',
      'unknown:1',
      '__proto__:1',
      'constructor:1',
      'x'.repeat(5000),
      `card:${'1'.repeat(2000)}`,
    ];
    for (const key of hostile) expect(parseOutboxKey(key), key).toBeNull();
    expect(parseOutboxKey(42 as unknown as string)).toBeNull();
  });
});
