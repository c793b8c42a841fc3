import { describe, expect, it } from 'vitest';
import { TELEGRAM_UPDATES_CHANNEL, VK_WALL_CHANNEL, deliveryChannel, parseChannelId, vkLongPollChannel } from '../../../src/domain/channel-id.js';

describe('channel ids', () => {
  it('should read back every id its constructors build', () => {
    expect(parseChannelId(VK_WALL_CHANNEL)).toEqual({ kind: 'vk_wall' });
    expect(parseChannelId(vkLongPollChannel(210002))).toEqual({ kind: 'vk_long_poll', groupId: 210002 });
    expect(parseChannelId(TELEGRAM_UPDATES_CHANNEL)).toEqual({ kind: 'telegram_updates' });
    expect(parseChannelId(deliveryChannel('vk'))).toEqual({ kind: 'delivery', platform: 'vk' });
    expect(parseChannelId(deliveryChannel('telegram'))).toEqual({ kind: 'delivery', platform: 'telegram' });
  });

  it('should refuse strings that are no channel id', () => {
    for (const id of ['', 'vk', 'vk:lp:', 'vk:lp:0', 'vk:lp:-5', 'vk:lp:12:3', 'vk:lp:1e3', 'delivery:fax', 'delivery:vk:1', 'telegram', `vk:lp:${'9'.repeat(30)}`]) {
      expect(parseChannelId(id)).toBeNull();
    }
  });
});
