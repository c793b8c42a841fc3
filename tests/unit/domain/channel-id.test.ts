import { describe, expect, it } from 'vitest';
import {
  channelPlatform,
  deliveryChannel,
  MAX_UPDATES_CHANNEL,
  MAX_WEBHOOK_CHANNEL,
  parseChannelId,
  TELEGRAM_UPDATES_CHANNEL,
  VK_WALL_CHANNEL,
  vkLongPollChannel,
} from '../../../src/domain/channel-id.js';

describe('channel ids', () => {
  it('should read back every id its constructors build', () => {
    expect(parseChannelId(VK_WALL_CHANNEL)).toEqual({ kind: 'vk_wall' });
    expect(parseChannelId(vkLongPollChannel(210002))).toEqual({ kind: 'vk_long_poll', groupId: 210002 });
    expect(parseChannelId(TELEGRAM_UPDATES_CHANNEL)).toEqual({ kind: 'telegram_updates' });
    expect(parseChannelId(deliveryChannel('vk'))).toEqual({ kind: 'delivery', platform: 'vk' });
    expect(parseChannelId(deliveryChannel('telegram'))).toEqual({ kind: 'delivery', platform: 'telegram' });
    expect(parseChannelId(MAX_UPDATES_CHANNEL)).toEqual({ kind: 'max_updates' });
    expect(parseChannelId(MAX_WEBHOOK_CHANNEL)).toEqual({ kind: 'max_webhook' });
    expect(parseChannelId(deliveryChannel('max'))).toEqual({ kind: 'delivery', platform: 'max' });
  });

  it('should name the platform of every channel', () => {
    expect(
      [VK_WALL_CHANNEL, vkLongPollChannel(1), TELEGRAM_UPDATES_CHANNEL, MAX_UPDATES_CHANNEL, MAX_WEBHOOK_CHANNEL, deliveryChannel('max')].map((id) =>
        channelPlatform(parseChannelId(id)!),
      ),
    ).toEqual(['vk', 'vk', 'telegram', 'max', 'max', 'max']);
  });

  it('should refuse strings that are no channel id', () => {
    for (const id of [
      '',
      'vk',
      'vk:lp:',
      'vk:lp:0',
      'vk:lp:-5',
      'vk:lp:12:3',
      'vk:lp:1e3',
      'delivery:fax',
      'delivery:vk:1',
      'telegram',
      'max',
      'max:lp',
      'max:updates:1',
      `vk:lp:${'9'.repeat(30)}`,
    ]) {
      expect(parseChannelId(id)).toBeNull();
    }
  });
});
