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
import type { Incident, IncidentStatus } from '../domain/incident.js';
import { isIncidentStatus } from '../domain/incident.js';
import type { Button } from '../domain/outbound.js';
import { threadLink } from '../domain/thread-ref.js';
import { CHANNEL_LABELS, municipalityName, topicLabel } from '../jobs/format.js';
import { clipText } from '../domain/clip-text.js';
import { safeTelegramHtml } from '../domain/safe-text.js';

/** Actions a card button can ask for. */
export const CARD_ACTIONS = ['accept', 'ask', 'answer', 'reject', 'assign', 'close', 'reopen'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export const STATUS_NAMES: Record<IncidentStatus, string> = {
  new: 'новое',
  accepted: 'в работе',
  needs_info: 'ждёт уточнения от жителя',
  answered: 'дан ответ',
  closed: 'закрыто',
  rejected: 'отклонено',
  reopened: 'открыто повторно',
};

const BUTTON_LABELS: Record<CardAction, string> = {
  accept: 'Принять',
  ask: 'Уточнить',
  answer: 'Ответить',
  reject: 'Отклонить',
  assign: 'Назначить',
  close: 'Закрыть',
  reopen: 'Открыть повторно',
};

/** Buttons per status, in rows; a status with no work left keeps only «Открыть повторно». */
const BUTTONS: Record<IncidentStatus, CardAction[][]> = {
  new: [['accept', 'ask', 'answer'], ['reject', 'assign']],
  accepted: [['ask', 'answer', 'assign']],
  needs_info: [['accept', 'answer'], ['reject', 'assign']],
  reopened: [['accept', 'ask', 'answer'], ['reject', 'assign']],
  answered: [['close', 'reopen']],
  closed: [['reopen']],
  rejected: [['reopen']],
};

export interface CardPress {
  action: CardAction;
  incidentId: number;
  /** The status the card showed when it was pressed. */
  shownStatus: IncidentStatus;
}

export function encodeCardData(action: CardAction, incidentId: number, status: IncidentStatus): string {
  return `inc:${action}:${incidentId}:${status}`;
}

/** Parse callback data; null for anything we did not write (forged, truncated, from another bot version). */
export function decodeCardData(data: string): CardPress | null {
  const match = /^inc:([a-z_]+):(\d{1,12}):([a-z_]+)$/.exec(data);
  if (!match) return null;
  const [, action, id, status] = match as unknown as [string, string, string, string];
  if (!(CARD_ACTIONS as readonly string[]).includes(action) || !isIncidentStatus(status)) return null;
  const incidentId = Number(id);
  if (!Number.isSafeInteger(incidentId) || incidentId <= 0) return null;
  return { action: action as CardAction, incidentId, shownStatus: status };
}

/** The card's last line, naming the latest change; a card is current whatever it says. */
export const LAST_NOTE_PREFIX = 'Последнее действие: ';

export interface CardView {
  text: string;
  buttons: Button[][];
}

/** The card's HTML text and buttons for the incident as it is now. */
export function renderCard(incident: Incident, config: Pick<Config, 'municipalities' | 'departments'>, extra: { reporters: number; lastNote?: string | null }): CardView {
  const department = config.departments.find((d) => d.id === incident.departmentId);
  const link = threadLink(incident.thread);
  const text = clipText(incident.text, 1500);
  const lines = [
    `<b>Обращение №${incident.id}</b> — ${safeTelegramHtml(STATUS_NAMES[incident.status])}`,
    `Тема: ${safeTelegramHtml(topicLabel(incident.topic))}${incident.urgency === 'emergency' ? ' · <b>СРОЧНО</b>' : ''}`,
    `МО: ${safeTelegramHtml(municipalityName(config, incident.municipalityId))}`,
    `Ответственный: ${department ? `${safeTelegramHtml(department.name)} (${safeTelegramHtml(department.id)})` : 'не назначен'}`,
    `Источник: ${safeTelegramHtml(CHANNEL_LABELS[incident.channel] ?? incident.channel)}${incident.authorName ? `, ${safeTelegramHtml(incident.authorName)}` : ''}`,
    extra.reporters > 1 ? `Сообщили: ${extra.reporters} чел.` : '',
    '',
    `«${safeTelegramHtml(text)}»`,
    '',
    incident.reasons.length > 0 ? `Почему: ${safeTelegramHtml(incident.reasons.slice(0, 6).join(', '))}` : '',
    link ? `<a href="${safeTelegramHtml(link)}">Открыть ветку</a>` : '',
    extra.lastNote ? `${LAST_NOTE_PREFIX}${safeTelegramHtml(extra.lastNote)}` : '',
  ];
  const buttons = BUTTONS[incident.status].map((row) =>
    row.map((action) => ({ text: BUTTON_LABELS[action], data: encodeCardData(action, incident.id, incident.status) })),
  );
  return { text: lines.filter((line, i, all) => line !== '' || (all[i - 1] ?? '') !== '').join('\n').trim(), buttons };
}
