import { describe, expect, it } from 'vitest';
import { externalId, parseExternalId, vkChatExternalId } from '../../../src/domain/external-id.js';
import { parseSourceKey, sourceKey } from '../../../src/domain/inbound-message.js';

describe('message ids and source keys', () => {
  it('should read back the external ids it builds, and nothing else', () => {
    expect(externalId(-1001, 42)).toBe('-1001_42');
    expect(parseExternalId(externalId(-1001, 42))).toEqual({ where: -1001, id: 42 });
    expect(parseExternalId(externalId(210002, 7))).toEqual({ where: 210002, id: 7 });
    for (const bad of [vkChatExternalId(210002, 2000000001, 5), '', '_', '1_', '_2', '1_-2', '1_2_3', 'a_1', `1_${'9'.repeat(20)}`, 'mid.abc'])
      expect(parseExternalId(bad), bad).toBeNull();
  });

  it('should read back the source keys it builds, and nothing else', () => {
    expect(parseSourceKey(sourceKey({ platform: 'vk', groupId: 210002 }))).toEqual({ platform: 'vk', id: 210002 });
    expect(parseSourceKey(sourceKey({ platform: 'telegram', chatId: -1001, chatType: 'supergroup', title: null, username: null }))).toEqual({
      platform: 'telegram',
      id: -1001,
    });
    for (const bad of ['', 'vk:', 'vk:x', 'tg:1:2', 'xx:1', 'constructor:1', '__proto__:1', 'VK:1', `tg:${'1'.repeat(20)}`])
      expect(parseSourceKey(bad), bad).toBeNull();
  });
});
