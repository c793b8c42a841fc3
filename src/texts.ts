/**
 * The bot's words that are not config templates: the Russian names of topics, statuses, urgency,
 * kinds, channels, moderator actions, audit events and deadlines, plural forms and the chart's
 * captions, shared by moderation, the jobs, the reports, the console and the demo; and
 * the helpers that write values into texts (HTML escaping for Telegram's HTML parse mode, local
 * times, durations, moderator mentions).
 */
import type { Config, ModeratorConfig } from './config.js';
import type { AttachmentKind } from './domain/attachment.js';
import { clipText } from './domain/clip-text.js';
import type { TopicId, Urgency } from './domain/detection.js';
import type { Platform } from './domain/inbound-message.js';
import type { IncidentKind, IncidentStatus } from './domain/incident.js';
import type { IncidentAction } from './domain/incident-status.js';
import type { PluralForms } from './domain/plural.js';
import type { ProblemId } from './domain/problem.js';
import { escapeTelegramHtml } from './domain/safe-text.js';
import type { DeadlineKind } from './domain/sla.js';
import { zonedParts } from './domain/working-calendar.js';

export const TOPIC_LABELS: Record<TopicId, string> = {
  housing: 'ЖКХ',
  roads: 'дороги',
  waste: 'мусор',
  transport: 'транспорт',
  improvement: 'благоустройство',
  health: 'здравоохранение',
  education: 'образование',
  social: 'соцзащита',
  safety: 'безопасность',
  ecology: 'экология',
  communications: 'связь',
  other: 'другое',
};

/** «1 обращение», «3 обращения», «5 обращений». */
export const INCIDENTS: PluralForms = ['обращение', 'обращения', 'обращений'];

/** Each status in words: `one` names an incident's status («новое»), `many` heads a count of incidents («новые 3»). */
const STATUS_WORDS: Record<IncidentStatus, { one: string; many: string }> = {
  new: { one: 'новое', many: 'новые' },
  accepted: { one: 'в работе', many: 'в работе' },
  needs_info: { one: 'ждёт уточнения от жителя', many: 'ждут уточнения' },
  answered: { one: 'дан ответ', many: 'с ответом' },
  closed: { one: 'закрыто', many: 'закрыты' },
  rejected: { one: 'отклонено', many: 'отклонены' },
  reopened: { one: 'открыто повторно', many: 'открыты повторно' },
};

/** An incident's status in words («новое»); an unknown value as it is. */
export function statusName(status: string | null): string {
  return STATUS_WORDS[status as IncidentStatus]?.one ?? String(status);
}

/** The status of several incidents («новые»), before their count; an unknown value as it is. */
export function statusPlural(status: string): string {
  return STATUS_WORDS[status as IncidentStatus]?.many ?? status;
}

/** What a moderator's action did, in the incident's history and the citizen's notices. */
export const ACTION_NAMES: Record<IncidentAction, string> = {
  accept: 'принято в работу',
  ask: 'запрошено уточнение',
  interim: 'промежуточный ответ',
  answer: 'дан ответ',
  close: 'закрыто',
  reject: 'отклонено',
  reopen: 'открыто повторно',
  assign: 'назначен ответственный',
  take: 'взято в работу',
  topic: 'изменена тема',
  note: 'заметка',
};

/** The audit log's actions in words (/show, the console's history). */
export const EVENT_NAMES: Record<string, string> = {
  created: 'зарегистрировано',
  transition: 'статус',
  assign: 'назначен отдел',
  take: 'взято в работу',
  topic: 'изменена тема',
  note: 'заметка',
  interim: 'промежуточный ответ',
  followup: 'дополнение жителя',
  location: 'геометка жителя',
  linked: 'сообщил ещё один житель',
  answer_due: 'срок ответа перенесён',
  reminder: 'напоминание',
  escalated: 'эскалация',
  announcement: 'объявление',
};

/** An incident's urgency and kind in words (the console, the exports). */
export const URGENCY_NAMES: Record<Urgency, string> = { emergency: 'срочное', normal: 'обычное' };
export const KIND_NAMES: Record<IncidentKind, string> = { complaint: 'жалоба', question: 'вопрос' };

/** «тексты 1 сообщения», «тексты 5 сообщений»: genitive after «тексты» (the digest's retention line). */
export const OF_MESSAGES: PluralForms = ['сообщения', 'сообщений', 'сообщений'];

/** What an announcement was queued to (/announce). */
export const PLACES: PluralForms = ['площадка', 'площадки', 'площадок'];
export const REPLIES: PluralForms = ['ответ', 'ответа', 'ответов'];
export const OPEN_INCIDENTS: PluralForms = ['открытое обращение', 'открытых обращения', 'открытых обращений'];

/** A street as moderators read it in alerts («ул. Ленина»). */
export function streetName(street: string): string {
  return `ул. ${street}`;
}

/** The digest chart's captions. */
export const CHART_WORDS = {
  perDay: 'Обращения по дням и темам',
  answerTime: (unit: string) => `Время до ответа, ${unit}: медиана и 90-й процентиль`,
  median: 'медиана',
  p90: '90-й процентиль',
} as const;

/** A deadline in a reminder: what must be done, and how a missed one reads. */
export const DEADLINE_NAMES: Record<DeadlineKind, { verb: string; missed: string }> = {
  accept: { verb: 'принять в работу', missed: 'не принято в работу' },
  answer: { verb: 'дать ответ', missed: 'без ответа' },
};

/** What a sent card reads once retention has removed the citizen's words from it. */
export function anonymisedCardText(incidentId: number): string {
  return `Обращение №${incidentId}: текст и автор обезличены по сроку хранения.`;
}

/** What a citizen attached, in words (cards, notes, /show, the console). */
export const ATTACHMENT_LABELS: Record<AttachmentKind | 'location', string> = {
  photo: 'фото',
  document: 'документ',
  video: 'видео',
  audio: 'аудио',
  voice: 'голосовое сообщение',
  sticker: 'стикер',
  other: 'вложение',
  location: 'геометка',
};

/** '850 Б', '120 КБ', '1,2 МБ'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} Б`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} КБ`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} МБ`;
}

/** A recording's length: '0:35', '12:03', '1:02:03'. */
export function formatClock(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(seconds % 60)}` : `${m}:${two(seconds % 60)}`;
}

export const CHANNEL_LABELS: Record<string, string> = {
  vk_comment: 'VK, комментарии',
  vk_message: 'VK, сообщения сообществу',
  telegram: 'Telegram',
  max_message: 'MAX, сообщения',
  max_comment: 'MAX, комментарии',
};

/** Platform names as moderators read them. */
export const PLATFORM_NAMES: Record<Platform, string> = { vk: 'VK', telegram: 'Telegram', max: 'MAX' };

export function topicLabel(topic: string): string {
  return TOPIC_LABELS[topic as TopicId] ?? topic;
}

/** «ЖКХ · Нет горячей воды» for an incident with a problem, the topic's name alone without one. */
export function topicAndProblem(config: Pick<Config, 'problems'>, incident: { topic: string; problem: string | null }): string {
  return incident.problem === null ? topicLabel(incident.topic) : `${topicLabel(incident.topic)} · ${config.problems.label(incident.problem as ProblemId)}`;
}

/** Escape for Telegram HTML parse mode (one implementation, in the domain). */
export const escapeHtml = escapeTelegramHtml;

/** 'DD.MM HH:MM' in the region's zone. */
export function formatLocal(instant: number, timezone: string): string {
  const p = zonedParts(instant, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}.${two(p.month)} ${two(p.hour)}:${two(p.minute)}`;
}

/** '1 ч 05 мин' / '2 д 3 ч' for durations in ms. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} мин`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ч ${String(minutes % 60).padStart(2, '0')} мин`;
  return `${Math.floor(hours / 24)} д ${hours % 24} ч`;
}

export function municipalityName(config: Pick<Config, 'municipalities'>, id: string | null): string {
  if (id === null) return 'регион (без МО)';
  return config.municipalities.find((m) => m.id === id)?.name ?? id;
}

/** A mention that notifies a Telegram moderator in HTML mode; VK and MAX moderators by name (jobs write to moderators of another platform than the chat's where they work: src/moderation/moderator-notice.ts). */
export function mention(moderator: ModeratorConfig): string {
  return moderator.platform === 'telegram' ? `<a href="tg://user?id=${moderator.id}">${escapeHtml(moderator.name)}</a>` : escapeHtml(moderator.name);
}

/** The moderators responsible for a municipality: its municipal moderators, or the regional ones when it has none. */
export function responsibleModerators(config: Pick<Config, 'moderators'>, municipalityId: string | null): ModeratorConfig[] {
  const municipal = municipalityId === null ? [] : config.moderators.filter((m) => m.role === 'municipal' && m.municipalityId === municipalityId);
  return municipal.length > 0 ? municipal : regionalModerators(config);
}

export function regionalModerators(config: Pick<Config, 'moderators'>): ModeratorConfig[] {
  return config.moderators.filter((m) => m.role === 'regional');
}

/** The first `max` items, comma-separated, and «и ещё N» for the rest; «—» for none. Keeps a list of hundreds short. */
export function listFirst<T>(items: readonly T[], render: (item: T) => string, max = 8): string {
  const shown = items.slice(0, max).map(render).join(', ');
  return items.length > max ? `${shown} и ещё ${items.length - max}` : shown || '—';
}

/** The first `max` characters of a text on one line, for quoting in alerts. */
export function snippet(text: string | null, max = 120): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return clipText(line, max);
}
