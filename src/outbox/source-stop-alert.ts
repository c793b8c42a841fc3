import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { outboxKey } from './outbox-key.js';

/** What the moderators read when a source stops: which channel, in their words (alert_channel_* templates). */
function describeChannel(config: Config, channel: string): string {
  if (channel === 'vk:wall') return alertText(config, 'alert_channel_vk_wall');
  const lp = /^vk:lp:(\d+)$/.exec(channel);
  if (lp) return alertText(config, 'alert_channel_vk_lp', { group: lp[1]! });
  return channel;
}

/**
 * One alert per `subject` and day in the moderators' Telegram chat (key `alert:fatal:<subject>:<day>`),
 * for a channel that stopped because its token was refused. Returns true when a new alert was
 * queued (the caller wakes the delivery worker); false when one was already queued today or no
 * moderators' chat is configured.
 */
export function enqueueDailyAlert(deps: { config: Config; outbox: OutboxStore }, subject: string, text: string, now: number): boolean {
  const chatId = deps.config.telegram.moderatorsChatId;
  if (chatId === null) return false;
  const day = new Date(now).toISOString().slice(0, 10);
  const message = { destination: { kind: 'telegram' as const, chatId }, format: 'plain' as const, text };
  return deps.outbox.enqueue({ idempotencyKey: outboxKey({ kind: 'alert-fatal', subject, day }), purpose: 'alert', message }, now) !== null;
}

/**
 * A source (VK wall reader, a community's long poll) stopped because its token was refused:
 * tell the moderators' chat once per channel and day, as the outbox does for delivery. Telegram's
 * own channels are left out: with its token refused, the alert could not arrive.
 */
export function enqueueSourceStopAlert(deps: { config: Config; outbox: OutboxStore }, channel: string, reason: string, now: number): boolean {
  if (channel.startsWith('telegram') || channel.startsWith('delivery:')) return false;
  const text = alertText(deps.config, 'alert_source_stopped', { channel: describeChannel(deps.config, channel), reason: reason.slice(0, 200) });
  return enqueueDailyAlert(deps, channel, text, now);
}
