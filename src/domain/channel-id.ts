import { PLATFORMS as PLATFORM_LIST, type Platform } from './inbound-message.js';

/**
 * The stable name of one running channel — a source or a delivery lane — as ChannelStatus,
 * the logs, `/healthz`, `/metrics` and the stop alerts show it. Built and read back only here:
 * - `vk:wall`: the VK wall poller (every watched community, one reading token);
 * - `vk:lp:<groupId>`: one community's Bots Long Poll;
 * - `telegram:updates`: the Telegram getUpdates loop;
 * - `max:updates`: the MAX long poll (GET /updates), in `max.mode` longpoll;
 * - `max:webhook`: the MAX webhook subscription and receiver, in `max.mode` webhook;
 * - `delivery:<platform>`: the outbox's sends to one platform.
 * A new source adds one case to `ChannelId`, `ChannelParts` and `parseChannelId`.
 */
export type ChannelId = 'vk:wall' | `vk:lp:${number}` | 'telegram:updates' | 'max:updates' | 'max:webhook' | `delivery:${Platform}`;

/** A channel id taken apart. */
export type ChannelParts =
  | { kind: 'vk_wall' }
  | { kind: 'vk_long_poll'; groupId: number }
  | { kind: 'telegram_updates' }
  | { kind: 'max_updates' }
  | { kind: 'max_webhook' }
  | { kind: 'delivery'; platform: Platform };

export const VK_WALL_CHANNEL = 'vk:wall' satisfies ChannelId;
export const TELEGRAM_UPDATES_CHANNEL = 'telegram:updates' satisfies ChannelId;
export const MAX_UPDATES_CHANNEL = 'max:updates' satisfies ChannelId;
export const MAX_WEBHOOK_CHANNEL = 'max:webhook' satisfies ChannelId;

export const vkLongPollChannel = (groupId: number): ChannelId => `vk:lp:${groupId}`;
export const deliveryChannel = (platform: Platform): ChannelId => `delivery:${platform}`;

const PLATFORMS: ReadonlySet<string> = new Set<Platform>(PLATFORM_LIST);

/** The parts of a channel id; null for a string that is none. */
export function parseChannelId(id: string): ChannelParts | null {
  if (id === VK_WALL_CHANNEL) return { kind: 'vk_wall' };
  if (id === TELEGRAM_UPDATES_CHANNEL) return { kind: 'telegram_updates' };
  if (id === MAX_UPDATES_CHANNEL) return { kind: 'max_updates' };
  if (id === MAX_WEBHOOK_CHANNEL) return { kind: 'max_webhook' };
  const [head, second, third, ...rest] = id.split(':');
  if (rest.length > 0) return null;
  if (head === 'vk' && second === 'lp' && third !== undefined && /^[1-9]\d*$/.test(third)) {
    const groupId = Number(third);
    return Number.isSafeInteger(groupId) ? { kind: 'vk_long_poll', groupId } : null;
  }
  if (head === 'delivery' && second !== undefined && third === undefined && PLATFORMS.has(second)) return { kind: 'delivery', platform: second as Platform };
  return null;
}

/** The platform a channel talks to. */
export function channelPlatform(parts: ChannelParts): Platform {
  switch (parts.kind) {
    case 'vk_wall':
    case 'vk_long_poll':
      return 'vk';
    case 'telegram_updates':
      return 'telegram';
    case 'max_updates':
    case 'max_webhook':
      return 'max';
    case 'delivery':
      return parts.platform;
  }
}
