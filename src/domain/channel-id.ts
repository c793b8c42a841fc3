import type { Platform } from './inbound-message.js';

/**
 * The stable name of one running channel — a source or a delivery lane — as ChannelStatus,
 * the logs, `/healthz`, `/metrics` and the stop alerts show it. Built and read back only here:
 * - `vk:wall`: the VK wall poller (every watched community, one reading token);
 * - `vk:lp:<groupId>`: one community's Bots Long Poll;
 * - `telegram:updates`: the Telegram getUpdates loop;
 * - `delivery:<platform>`: the outbox's sends to one platform.
 * A new source adds one case to `ChannelId`, `ChannelParts` and `parseChannelId`.
 */
export type ChannelId = 'vk:wall' | `vk:lp:${number}` | 'telegram:updates' | `delivery:${Platform}`;

/** A channel id taken apart. */
export type ChannelParts =
  | { kind: 'vk_wall' }
  | { kind: 'vk_long_poll'; groupId: number }
  | { kind: 'telegram_updates' }
  | { kind: 'delivery'; platform: Platform };

export const VK_WALL_CHANNEL = 'vk:wall' satisfies ChannelId;
export const TELEGRAM_UPDATES_CHANNEL = 'telegram:updates' satisfies ChannelId;

export const vkLongPollChannel = (groupId: number): ChannelId => `vk:lp:${groupId}`;
export const deliveryChannel = (platform: Platform): ChannelId => `delivery:${platform}`;

const PLATFORMS: ReadonlySet<string> = new Set<Platform>(['vk', 'telegram']);

/** The parts of a channel id; null for a string that is none. */
export function parseChannelId(id: string): ChannelParts | null {
  if (id === VK_WALL_CHANNEL) return { kind: 'vk_wall' };
  if (id === TELEGRAM_UPDATES_CHANNEL) return { kind: 'telegram_updates' };
  const [head, second, third, ...rest] = id.split(':');
  if (rest.length > 0) return null;
  if (head === 'vk' && second === 'lp' && third !== undefined && /^[1-9]\d*$/.test(third)) {
    const groupId = Number(third);
    return Number.isSafeInteger(groupId) ? { kind: 'vk_long_poll', groupId } : null;
  }
  if (head === 'delivery' && second !== undefined && third === undefined && PLATFORMS.has(second)) return { kind: 'delivery', platform: second as Platform };
  return null;
}

