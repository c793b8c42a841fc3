import type { Config } from '../config.js';
import type { OutboxStore } from '../store/outbox-store.js';

/** What the moderators read when a source stops: which channel, in their words. */
function describeChannel(channel: string): string {
  if (channel === 'vk:wall') return 'чтение комментариев VK (токен чтения стен)';
  const lp = /^vk:lp:(\d+)$/.exec(channel);
  if (lp) return `сообщения сообщества VK ${lp[1]} (токен сообщества)`;
  return channel;
}

/**
 * A source (VK wall reader, a community's long poll) stopped because its token was refused:
 * tell the moderators' chat once per channel and day, as the outbox does for delivery. Telegram's
 * own channels are left out: with its token refused, the alert could not arrive. Returns true when
 * a new alert was queued (the caller wakes the delivery worker).
 */
export function enqueueSourceStopAlert(deps: { config: Config; outbox: OutboxStore }, channel: string, reason: string, now: number): boolean {
  const chatId = deps.config.telegram.moderatorsChatId;
  if (chatId === null || channel.startsWith('telegram') || channel.startsWith('delivery:')) return false;
  const day = new Date(now).toISOString().slice(0, 10);
  const id = deps.outbox.enqueue(
    {
      idempotencyKey: `alert:fatal:${channel}:${day}`,
      purpose: 'alert',
      message: {
        destination: { kind: 'telegram', chatId },
        format: 'plain',
        text: `⚠️ Остановлено: ${describeChannel(channel)} — VK отклонил токен (${reason.slice(0, 200)}). Новые сообщения этого канала не читаются; замените токен и перезапустите бота.`,
      },
    },
    now,
  );
  return id !== null;
}
