/**
 * The incident card in the moderators' Telegram chat: what a moderator needs to decide (number,
 * topic, urgency, municipality, department, status, the citizen's words, why it was detected, a
 * link to the thread) and the buttons of the actions its status allows. Pure.
 *
 * Callback data: `inc:<action>:<incident>:<status the card showed>` (≤ 64 bytes). It is only a
 * request: the press handler re-reads the incident, checks the presser's rights and refuses a
 * press made on a card whose status is no longer current.
 */
import type { Config } from '../config.js';
import { clipText } from '../domain/clip-text.js';
import type { Incident, IncidentStatus } from '../domain/incident.js';
import { isIncidentStatus } from '../domain/incident.js';
import { type ModeratorTemplateKey, modText } from '../domain/moderator-templates.js';
import type { Button } from '../domain/outbound.js';
import { safeTelegramHtml } from '../domain/safe-text.js';
import { threadLink } from '../domain/thread-ref.js';
import { ATTACHMENT_LABELS, CHANNEL_LABELS, formatLocal, municipalityName, statusName, topicAndProblem } from '../texts.js';

/** Actions a card button can ask for; `topic` opens the «Изменить тему» keyboard (topic-picker.ts). */
const CARD_ACTIONS = ['accept', 'ask', 'answer', 'reject', 'assign', 'close', 'reopen', 'topic'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** Each button's label template. */
const BUTTON_LABELS: Record<CardAction, ModeratorTemplateKey> = {
  accept: 'card_button_accept',
  ask: 'card_button_ask',
  answer: 'card_button_answer',
  reject: 'card_button_reject',
  assign: 'card_button_assign',
  close: 'card_button_close',
  reopen: 'card_button_reopen',
  topic: 'card_button_topic',
};

/** Buttons per status, in rows; a status with no work left keeps only «Открыть повторно». */
const BUTTONS: Record<IncidentStatus, CardAction[][]> = {
  new: [
    ['accept', 'ask', 'answer'],
    ['reject', 'assign', 'topic'],
  ],
  accepted: [['ask', 'answer', 'assign'], ['topic']],
  needs_info: [
    ['accept', 'answer'],
    ['reject', 'assign', 'topic'],
  ],
  reopened: [
    ['accept', 'ask', 'answer'],
    ['reject', 'assign', 'topic'],
  ],
  answered: [['close', 'reopen']],
  closed: [['reopen']],
  rejected: [['reopen']],
};

/** A question's card: it is answered (or rejected), not worked. */
const QUESTION_BUTTONS: Record<IncidentStatus, CardAction[][]> = {
  new: [['answer', 'reject']],
  accepted: [['answer']],
  needs_info: [['answer', 'reject']],
  reopened: [['answer', 'reject']],
  answered: [['close', 'reopen']],
  closed: [['reopen']],
  rejected: [['reopen']],
};

export interface CardPress {
  action: CardAction;
  incidentId: number;
  /** The status the card showed when it was pressed. */
  shownStatus: IncidentStatus;
  /** `topic`: the screen of the «Изменить тему» keyboard the button asks for (topic-picker.ts); absent: the first. */
  screen?: string;
}

export function encodeCardData(action: CardAction, incidentId: number, status: IncidentStatus): string {
  return `inc:${action}:${incidentId}:${status}`;
}

/** Parse callback data; null for anything we did not write (forged, truncated, from another bot version). */
export function decodeCardData(data: string): CardPress | null {
  const match = /^inc:([a-z_]+):(\d{1,12}):([a-z_]+)(?::([a-z0-9_.=!]{1,40}))?$/.exec(data);
  if (!match) return null;
  const [, action, id, status, screen] = match as unknown as [string, string, string, string, string | undefined];
  if (screen !== undefined && action !== 'topic') return null;
  if (!(CARD_ACTIONS as readonly string[]).includes(action) || !isIncidentStatus(status)) return null;
  const incidentId = Number(id);
  if (!Number.isSafeInteger(incidentId) || incidentId <= 0) return null;
  return { action: action as CardAction, incidentId, shownStatus: status, ...(screen !== undefined ? { screen } : {}) };
}

/** The citizen's additions to the incident (follow-ups): how many, and the latest, shown on the card. */
export interface CardAdditions {
  count: number;
  /** `media`: the kinds of what came with it ('photo', 'location', …). */
  latest: { at: number; text: string | null; media?: readonly string[] } | null;
}

export interface CardView {
  text: string;
  buttons: Button[][];
}

/** The most of the citizen's words a card quotes; an addition is quoted up to a third of it. */
export const CARD_QUOTE_MAX = 1500;

/**
 * The card's HTML text and buttons for the incident as it is now, worded by the `card_*`
 * templates. The citizen's latest addition (with its time, and how many there are) comes after the
 * link. The latest change (`lastNote`) is always the last line, so a card without it is a prefix
 * of the same card with it.
 */
export function renderCard(
  incident: Incident & { holderName?: string | null },
  config: Pick<Config, 'municipalities' | 'departments' | 'templates' | 'region' | 'problems'>,
  extra: {
    reporters: number;
    lastNote?: string | null;
    additions?: CardAdditions;
    /** Lines about what the citizen sent besides words (src/moderation/card-media.ts), after the link. */
    media?: readonly string[];
    /** Quote at most this much of the citizen's words (a card that must fit a photo's caption); default CARD_QUOTE_MAX. */
    textLimit?: number;
  },
): CardView {
  const department = config.departments.find((d) => d.id === incident.departmentId);
  const link = threadLink(incident.thread);
  const quote = Math.min(extra.textLimit ?? CARD_QUOTE_MAX, CARD_QUOTE_MAX);
  const text = clipText(incident.text, quote);
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}) => modText(config, key, values);
  const channel = safeTelegramHtml(CHANNEL_LABELS[incident.channel] ?? incident.channel);
  const lines = [
    t(incident.kind === 'question' ? 'card_title_question' : 'card_title', { number: incident.id, status: safeTelegramHtml(statusName(incident.status)) }),
    t(incident.urgency === 'emergency' ? 'card_topic_urgent' : 'card_topic', { topic: safeTelegramHtml(topicAndProblem(config, incident)) }),
    t('card_municipality', { municipality: safeTelegramHtml(municipalityName(config, incident.municipalityId)) }),
    department ? t('card_department', { department: safeTelegramHtml(department.name), code: safeTelegramHtml(department.id) }) : t('card_no_department'),
    incident.authorName ? t('card_source_author', { channel, author: safeTelegramHtml(incident.authorName) }) : t('card_source', { channel }),
    extra.reporters > 1 ? t('card_reporters', { count: extra.reporters }) : '',
    '',
    t('card_text', { text: safeTelegramHtml(text) }),
    '',
    incident.reasons.length > 0 ? t('card_reasons', { reasons: safeTelegramHtml(incident.reasons.slice(0, 6).join(', ')) }) : '',
    link ? t('card_link', { link: safeTelegramHtml(link) }) : '',
    ...(extra.media ?? []),
    additionLine(extra.additions, config, t, Math.ceil(quote / 3)),
    incident.holderName ? t('card_holder', { name: safeTelegramHtml(incident.holderName) }) : '',
    extra.lastNote ? t('card_last_note', { note: safeTelegramHtml(extra.lastNote) }) : '',
  ];
  const buttons = (incident.kind === 'question' ? QUESTION_BUTTONS : BUTTONS)[incident.status].map((row) =>
    row.map((action) => ({ text: t(BUTTON_LABELS[action]), data: encodeCardData(action, incident.id, incident.status) })),
  );
  return {
    text: lines
      .filter((line, i, all) => line !== '' || (all[i - 1] ?? '') !== '')
      .join('\n')
      .trim(),
    buttons,
  };
}

function additionLine(
  additions: CardAdditions | undefined,
  config: Pick<Config, 'region'>,
  t: (key: ModeratorTemplateKey, values: Record<string, string | number>) => string,
  quote: number,
): string {
  const latest = additions?.latest;
  if (!additions || !latest) return '';
  // Words when there are any; a photo or a location alone is named by its kind.
  const words = latest.text?.trim()
    ? latest.text
    : latest.media?.length
      ? latest.media.map((kind) => `[${ATTACHMENT_LABELS[kind as keyof typeof ATTACHMENT_LABELS] ?? kind}]`).join(' ')
      : '…';
  const values = { time: formatLocal(latest.at, config.region.timezone), text: safeTelegramHtml(clipText(words, quote)), count: additions.count };
  return t(additions.count > 1 ? 'card_additions' : 'card_addition', values);
}
