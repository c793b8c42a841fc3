/**
 * /announce: an official message to the population («информирование населения») — a planned
 * outage, a road closure — posted to the communities and chats in scope and, with a topic or a
 * problem, as a reply in the thread of every open incident of it (and of the place): `тема=гвс`
 * reaches the open «нет горячей воды» incidents only, `тема=ЖКХ` every ЖКХ one. Everything goes through
 * the outbox, each target once: a redelivered command (same `requestKey`) posts nothing twice.
 *
 *   /announce [<municipality id> | все | all] [тема=<topic or problem>] [улица=<street> | нп=<settlement>] <text>
 *
 * e.g. `/announce zarechensk тема=ЖКХ улица=Ленина Работы по восстановлению водоснабжения на
 * ул. Ленина завершатся к 18:00`. Values with spaces go in quotes: `нп="Красный Бор"`.
 * A regional moderator may address any municipality or the whole region (the default); a
 * municipal moderator only their own municipality (the default for them).
 */
import type { Config, ModeratorConfig } from '../../config.js';
import { citizenText } from '../../domain/citizen-templates.js';
import type { PlaceMatch } from '../../domain/detection.js';
import { authorKey } from '../../domain/inbound-message.js';
import { modText } from '../../domain/moderator-templates.js';
import { type Destination, destinationPlatform, replyDestination } from '../../domain/outbound.js';
import { countOf } from '../../domain/plural.js';
import { type IncidentGroup, incidentGroup } from '../../domain/problem.js';
import { safeText } from '../../domain/safe-text.js';
import type { TemplateConfig } from '../../domain/template.js';
import { announceTargetKey, outboxKey } from '../../outbox/outbox-key.js';
import type { Stores } from '../../store/stores.js';
import { OPEN_INCIDENTS, PLACES, REPLIES } from '../../texts.js';
import type { CommandReply } from '../command-feature.js';
import { topicChoice, topicChoiceHelp } from '../topic-choice.js';

export interface AnnounceContext {
  stores: Stores;
  config: Config;
  clock: () => number;
  moderator: ModeratorConfig;
  /** Identifies the command message (e.g. `tg:<chatId>:<messageId>`): the same request is carried out once. */
  requestKey: string;
}

export interface AnnounceRequest {
  /** undefined: the moderator's default scope; null: the whole region. */
  municipalityId: string | null | undefined;
  /** The topic or problem whose open incidents get the announcement as a reply; null: none. */
  group: IncidentGroup | null;
  street: string | null;
  settlement: string | null;
  text: string;
}

const KEYS: Record<string, 'topic' | 'street' | 'settlement'> = {
  тема: 'topic',
  topic: 'topic',
  проблема: 'topic',
  problem: 'topic',
  улица: 'street',
  street: 'street',
  нп: 'settlement',
  settlement: 'settlement',
  place: 'settlement',
};

/** Parse the arguments; a string is the reason they are wrong (a mod_* template). */
export function parseAnnounce(args: string, config: Pick<Config, 'municipalities' | 'templates' | 'region' | 'problems'>): AnnounceRequest | string {
  const request: AnnounceRequest = { municipalityId: undefined, group: null, street: null, settlement: null, text: '' };
  let rest = args.trim();
  const first = /^(\S+)/.exec(rest)?.[1];
  if (first && ['все', 'all', 'регион'].includes(first.toLowerCase())) {
    request.municipalityId = null;
    rest = rest.slice(first.length).trimStart();
  } else if (first && config.municipalities.some((m) => m.id === first)) {
    request.municipalityId = first;
    rest = rest.slice(first.length).trimStart();
  }
  for (;;) {
    const option = /^([\p{L}]+)=(?:"([^"]*)"|«([^»]*)»|(\S+))\s*/u.exec(rest);
    const key = option ? KEYS[option[1]!.toLowerCase()] : undefined;
    if (!option || !key) break;
    const value = (option[2] ?? option[3] ?? option[4] ?? '').trim();
    if (key === 'topic') {
      const choice = topicChoice(value, config.problems);
      if (!choice) return modText(config, 'mod_unknown_topic', { given: value, ...topicChoiceHelp(config.problems) });
      request.group = incidentGroup({ topic: choice.topic, problem: choice.kind === 'problem' ? choice.problem : null });
    } else request[key] = value.replace(/^(ул\.|улица)\s*/i, '');
    rest = rest.slice(option[0].length);
  }
  request.text = rest.trim();
  if (!request.text) return modText(config, 'mod_announce_no_text');
  if ((request.street || request.settlement) && !request.group) return modText(config, 'mod_announce_place_needs_topic');
  return request;
}

function samePlace(place: PlaceMatch | null, street: string | null, settlement: string | null): boolean {
  const norm = (s: string | undefined | null) => (s ?? '').toLowerCase().replace(/ё/g, 'е').trim();
  if (street && norm(place?.street) !== norm(street)) return false;
  if (settlement && norm(place?.settlement) !== norm(settlement)) return false;
  return true;
}

/** «2 площадки, 3 ответа в ветках обращений»: what an announcement was queued to. */
function queuedSummary(config: TemplateConfig, posts: number, replies: number): string {
  return modText(config, 'mod_announce_summary', { posts: countOf(posts, PLACES), replies: countOf(replies, REPLIES) });
}

interface Target {
  key: string;
  destination: Destination;
  incidentId: number | null;
}

/** Handle `/announce <args>`: queue the posts and replies, and tell the moderator what was queued. */
export function handleAnnounce(args: string, ctx: AnnounceContext): CommandReply {
  const { stores, config, moderator } = ctx;
  const parsed = parseAnnounce(args, config);
  if (typeof parsed === 'string') return { text: parsed, format: 'plain' };
  if (parsed.text.length > config.announcements.maxLength) {
    return { text: modText(config, 'mod_announce_too_long', { max: config.announcements.maxLength, length: parsed.text.length }), format: 'plain' };
  }
  const municipalityId = parsed.municipalityId === undefined ? (moderator.role === 'municipal' ? moderator.municipalityId : null) : parsed.municipalityId;
  if (moderator.role === 'municipal' && municipalityId !== moderator.municipalityId) {
    return { text: modText(config, 'mod_announce_own_only'), format: 'plain' };
  }
  const moderatorKey = authorKey(moderator);
  const now = ctx.clock();

  return stores.transaction((): CommandReply => {
    const existing = stores.announcements.findByRequest(ctx.requestKey);
    if (existing)
      return {
        text: modText(config, 'mod_announce_repeat', { number: existing.id, summary: queuedSummary(config, existing.targets, existing.replies) }),
        format: 'plain',
      };

    const inScope = (m: string | null) => municipalityId === null || m === municipalityId;
    const targets: Target[] = [];
    if (config.announcements.vkWall) {
      for (const c of config.vk.communities.filter((c) => inScope(c.municipalityId))) {
        targets.push({
          key: announceTargetKey({ kind: 'vk-wall', groupId: c.groupId }),
          destination: { kind: 'vk_wall_post', groupId: c.groupId },
          incidentId: null,
        });
      }
    }
    if (config.announcements.telegramChats) {
      for (const c of config.telegram.chats.filter((c) => inScope(c.municipalityId))) {
        targets.push({
          key: announceTargetKey({ kind: 'telegram-chat', chatId: c.chatId }),
          destination: { kind: 'telegram', chatId: c.chatId },
          incidentId: null,
        });
      }
    }
    if (config.announcements.maxChats) {
      for (const c of config.max.chats.filter((c) => inScope(c.municipalityId))) {
        targets.push({
          key: announceTargetKey({ kind: 'max-chat', chatId: c.chatId }),
          destination: { kind: 'max_message', chatId: c.chatId },
          incidentId: null,
        });
      }
    }
    const posts = targets.length;

    const incidentIds: number[] = [];
    if (parsed.group) {
      for (const open of stores.incidents.openInGroup(parsed.group, municipalityId)) {
        if (incidentIds.length >= config.announcements.maxIncidentReplies) break;
        if (!samePlace(open.place, parsed.street, parsed.settlement)) continue;
        incidentIds.push(open.id);
        for (const r of stores.incidents.reporters(open.id)) {
          targets.push({
            key: announceTargetKey({ kind: 'reply', incidentId: open.id, messageId: r.messageId }),
            destination: replyDestination(r.thread),
            incidentId: open.id,
          });
        }
      }
    }

    // Each place once: two reporters answered in the same spot, or a chat that is also an incident thread, get one message.
    const seen = new Set<string>();
    const unique = targets.filter((t) => {
      const where = JSON.stringify(t.destination);
      if (seen.has(where)) return false;
      seen.add(where);
      return true;
    });

    const id = stores.announcements.create(
      {
        requestKey: ctx.requestKey,
        moderatorKey,
        moderatorName: moderator.name,
        municipalityId,
        topic: parsed.group?.topic ?? null,
        problem: parsed.group?.kind === 'problem' ? parsed.group.problem : null,
        place: parsed.street ?? parsed.settlement,
        replyOpen: parsed.group !== null,
        text: parsed.text,
        targets: posts,
        replies: unique.length - posts,
      },
      now,
    );
    for (const t of unique) {
      // The moderator's words reach citizens: no VK or Telegram mention in them may notify anyone.
      const words = safeText(parsed.text, destinationPlatform(t.destination));
      const text = t.incidentId === null ? words : citizenText(config, 'announce_reply', { number: t.incidentId, text: words });
      stores.outbox.enqueue(
        {
          idempotencyKey: outboxKey({ kind: 'announce', announcementId: id, target: t.key }),
          message: { destination: t.destination, text, format: 'plain' },
          purpose: 'announce',
          incidentId: t.incidentId,
        },
        now,
      );
    }
    for (const incidentId of incidentIds) {
      stores.incidents.appendEvent(
        incidentId,
        { kind: 'moderator', id: moderatorKey, name: moderator.name },
        'announcement',
        null,
        String(id),
        { text: parsed.text },
        now,
      );
    }
    const replies = unique.length - posts;
    const listed = `${incidentIds
      .slice(0, 10)
      .map((n) => `№${n}`)
      .join(', ')}${incidentIds.length > 10 ? '…' : ''}`;
    const summary = queuedSummary(config, posts, replies);
    const text = !parsed.group
      ? modText(config, 'mod_announce_queued', { number: id, posts: countOf(posts, PLACES) })
      : incidentIds.length > 0
        ? modText(config, 'mod_announce_queued_topic', { number: id, summary, incidents: countOf(incidentIds.length, OPEN_INCIDENTS), list: listed })
        : modText(config, parsed.street || parsed.settlement ? 'mod_announce_queued_place_none' : 'mod_announce_queued_topic_none', { number: id, summary });
    return { text, format: 'plain' };
  });
}
