/**
 * How a job tells moderators something (a deadline, an escalation, a risk): a moderator of the
 * moderators' chat's platform is mentioned there, which notifies them; a moderator who works on
 * another platform is written to there — a VK moderator in the community dialog where they give
 * the bot their commands, a Telegram or MAX moderator in their private dialog with the bot —
 * since their name in the chat would notify no one. A new platform adds its case to
 * {@link moderatorInbox}.
 */
import type { Config, ModeratorConfig } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { clipText, MESSAGE_TEXT_MAX } from '../domain/clip-text.js';
import { authorKey } from '../domain/inbound-message.js';
import { moderatorsRoom } from '../domain/moderators-room.js';
import type { Destination } from '../domain/outbound.js';
import { telegramHtmlToPlain } from '../domain/safe-text.js';
import { threadKey } from '../domain/thread-ref.js';
import { outboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { Stores } from '../store/stores.js';
import { escapeHtml, mention } from '../texts.js';

export interface NoticeDeps {
  config: Pick<Config, 'vk' | 'telegram' | 'max' | 'templates' | 'region'>;
  stores: Pick<Stores, 'messages' | 'outbox'>;
  clock: () => number;
}

/** A moderator written to outside the moderators' chat, and where. */
export interface DirectNotice {
  moderator: ModeratorConfig;
  destination: Destination;
}

/** Who of a list of moderators the chat's mentions reach, who is written to elsewhere, and who cannot be reached. */
export interface NoticePlan {
  mentioned: ModeratorConfig[];
  direct: DirectNotice[];
  unreachable: ModeratorConfig[];
}

/**
 * Where a moderator reads what the bot tells them: `'chat'` for the moderators' chat when it is
 * on their platform (a mention there notifies them), a destination elsewhere, or null when the bot
 * has no way to them.
 */
export function moderatorInbox(moderator: ModeratorConfig, deps: Pick<NoticeDeps, 'config' | 'stores'>): 'chat' | Destination | null {
  if (moderatorsRoom(deps.config)?.platform === moderator.platform) return 'chat';
  switch (moderator.platform) {
    case 'vk':
      return vkDialog(moderator, deps);
    case 'telegram':
      // A Telegram private chat's id is the user's id; the bot may write there once they started it.
      return { kind: 'telegram', chatId: moderator.id };
    case 'max': {
      // A MAX dialog has a chat id of its own: the one the moderator last wrote to the bot in.
      const thread = deps.stores.messages.lastPrivateThread(authorKey(moderator));
      return thread?.channel === 'max_message' ? { kind: 'max_message', chatId: thread.chatId } : null;
    }
  }
}

/**
 * The community dialog a VK moderator last wrote to the bot in; else the one of their
 * municipality, else the first community that reads its messages. A community may write to a
 * person who wrote to it, which a moderator giving commands there did.
 */
function vkDialog(moderator: ModeratorConfig, deps: Pick<NoticeDeps, 'config' | 'stores'>): Destination | null {
  const communities = deps.config.vk.communities;
  const key = authorKey(moderator);
  let latest: { groupId: number; at: number } | null = null;
  for (const c of communities) {
    const at = deps.stores.messages.lastWrittenAt(threadKey({ channel: 'vk_message', groupId: c.groupId, peerId: moderator.id, messageId: 0 }), key);
    if (at !== null && (latest === null || at > latest.at)) latest = { groupId: c.groupId, at };
  }
  const reading = communities.filter((c) => c.watchMessages);
  const groupId = latest?.groupId ?? (reading.find((c) => c.municipalityId !== null && c.municipalityId === moderator.municipalityId) ?? reading[0])?.groupId;
  return groupId === undefined ? null : { kind: 'vk_message', groupId, peerId: moderator.id };
}

/** Sort moderators (each once) by how the notice reaches them. */
export function planNotice(moderators: readonly ModeratorConfig[], deps: Pick<NoticeDeps, 'config' | 'stores'>): NoticePlan {
  const plan: NoticePlan = { mentioned: [], direct: [], unreachable: [] };
  const seen = new Set<string>();
  for (const moderator of moderators) {
    const key = authorKey(moderator);
    if (seen.has(key)) continue;
    seen.add(key);
    const inbox = moderatorInbox(moderator, deps);
    if (inbox === 'chat') plan.mentioned.push(moderator);
    else if (inbox === null) plan.unreachable.push(moderator);
    else plan.direct.push({ moderator, destination: inbox });
  }
  return plan;
}

/**
 * The chat's lines about a plan (HTML): the mentions under `mentionKey` (`alert_responsible`,
 * `alert_regional`), who was written to elsewhere, and who could not be reached.
 */
export function noticeLines(plan: NoticePlan, config: NoticeDeps['config'], mentionKey: 'alert_responsible' | 'alert_regional'): string[] {
  const names = (list: readonly ModeratorConfig[]) => list.map((m) => escapeHtml(m.name)).join(', ');
  return [
    plan.mentioned.length > 0 ? alertText(config, mentionKey, { moderators: plan.mentioned.map(mention).join(', ') }) : '',
    plan.direct.length > 0 ? alertText(config, 'alert_notified_direct', { moderators: names(plan.direct.map((d) => d.moderator)) }) : '',
    plan.unreachable.length > 0 ? alertText(config, 'alert_unreachable', { moderators: names(plan.unreachable) }) : '',
  ].filter(Boolean);
}

/**
 * Queue `html` (the chat's text, without its mention lines) as a plain notice to each moderator
 * written to directly, once per `subject` (no `:`) and moderator.
 */
export function enqueueDirectNotices(direct: readonly DirectNotice[], html: string, subject: string, deps: NoticeDeps): void {
  const text = clipText(telegramHtmlToPlain(html), MESSAGE_TEXT_MAX);
  for (const { moderator, destination } of direct) {
    deps.stores.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'notice', subject, moderator: authorKey(moderator) }),
        message: { destination, text, format: 'plain' },
        purpose: 'notice',
        priority: OUTBOX_PRIORITY.alert,
      },
      deps.clock(),
    );
  }
}
