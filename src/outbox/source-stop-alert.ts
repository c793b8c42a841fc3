import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { type ChannelId, type ChannelParts, channelPlatform, parseChannelId } from '../domain/channel-id.js';
import { moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { outboxKey } from './outbox-key.js';

/** What the moderators read when a source stops: which channel, in their words (alert_channel_* templates). */
function describeChannel(config: Config, channel: ChannelId, parts: ChannelParts): string {
  if (parts.kind === 'vk_wall') return alertText(config, 'alert_channel_vk_wall');
  if (parts.kind === 'vk_long_poll') return alertText(config, 'alert_channel_vk_lp', { group: String(parts.groupId) });
  if (parts.kind === 'max_updates' || parts.kind === 'max_webhook') return alertText(config, 'alert_channel_max');
  return channel;
}

/**
 * One alert per `subject` and day in the moderators' Telegram chat (key `alert:fatal:<subject>:<day>`),
 * for a channel that stopped because its token was refused. Returns true when a new alert was
 * queued (the caller wakes the delivery worker); false when one was already queued today or no
 * moderators' chat is configured.
 */
export function enqueueDailyAlert(deps: { config: Config; outbox: OutboxStore }, subject: string, text: string, now: number): boolean {
  const room = moderatorsRoom(deps.config);
  if (room === null) return false;
  const day = new Date(now).toISOString().slice(0, 10);
  const message = { destination: roomMessage(room), format: 'plain' as const, text };
  return deps.outbox.enqueue({ idempotencyKey: outboxKey({ kind: 'alert-fatal', subject, day }), purpose: 'alert', message }, now) !== null;
}

/**
 * A source (VK wall reader, a community's long poll, MAX updates) stopped because its token was
 * refused: tell the moderators' chat once per channel and day, as the outbox does for delivery.
 * The moderators' own platform is left out: with its token refused, the alert could not arrive.
 */
export function enqueueSourceStopAlert(deps: { config: Config; outbox: OutboxStore }, channel: ChannelId, reason: string, now: number): boolean {
  const parts = parseChannelId(channel);
  if (parts === null || parts.kind === 'delivery') return false;
  if (channelPlatform(parts) === moderatorsRoom(deps.config)?.platform) return false;
  const text = alertText(deps.config, 'alert_source_stopped', { channel: describeChannel(deps.config, channel, parts), reason: reason.slice(0, 200) });
  return enqueueDailyAlert(deps, channel, text, now);
}

/**
 * The listener for ChannelStatus.onFatalStop: queues the alert and, when one was queued, wakes
 * delivery. A failure to queue is logged, never thrown into the stopping source.
 */
export function alertOnSourceStop(deps: {
  config: Config;
  outbox: OutboxStore;
  clock: () => number;
  logger: Logger;
  onQueued: () => void;
}): (channel: ChannelId, reason: string) => void {
  return (channel, reason) => {
    try {
      if (enqueueSourceStopAlert(deps, channel, reason, deps.clock())) deps.onQueued();
    } catch (error) {
      deps.logger.error({ err: error, channel }, 'could not queue the alert about a stopped channel');
    }
  };
}
