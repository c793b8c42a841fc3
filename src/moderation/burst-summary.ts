/**
 * A burst summary in the moderators' chat: what a burst is about (the group: topic or problem,
 * and municipality), how many incidents, their numbers (urgent ones named apart), and a page of
 * «№N» buttons, urgent ones first, that open each incident's card. Pure.
 *
 * Callback data: `burst:open:<incident>` and `burst:page:<summary>:<page>` (≤ 64 bytes). Only
 * requests: the press handler checks the presser's rights and re-reads everything.
 */
import type { Config } from '../config.js';
import type { BurstGroup } from '../domain/burst-group.js';
import { clipText, MESSAGE_TEXT_MAX } from '../domain/clip-text.js';
import type { Urgency } from '../domain/detection.js';
import { type ModeratorTemplateKey, modText } from '../domain/moderator-templates.js';
import type { Button } from '../domain/outbound.js';
import { countOf } from '../domain/plural.js';
import type { ProblemId } from '../domain/problem.js';
import { safeTelegramHtml } from '../domain/safe-text.js';
import { INCIDENTS, municipalityName, topicLabel } from '../texts.js';

export type BurstPress = { action: 'open'; incidentId: number } | { action: 'page'; summaryId: number; page: number };

/** Is this a summary button's data (so the summaries, not the cards, handle the press)? */
export function isBurstData(data: string): boolean {
  return data.startsWith('burst:');
}

/** Parse callback data; null for anything the summaries did not write. */
export function decodeBurstData(data: string): BurstPress | null {
  const open = /^burst:open:(\d{1,12})$/.exec(data);
  if (open) {
    const incidentId = Number(open[1]);
    return incidentId > 0 && Number.isSafeInteger(incidentId) ? { action: 'open', incidentId } : null;
  }
  const page = /^burst:page:(\d{1,12}):(\d{1,4})$/.exec(data);
  if (page) {
    const summaryId = Number(page[1]);
    return summaryId > 0 && Number.isSafeInteger(summaryId) ? { action: 'page', summaryId, page: Number(page[2]) } : null;
  }
  return null;
}

/** «№101–104, №107, №110–111»: incident numbers as ascending runs. */
export function numberRanges(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    runs.push(j === i ? `№${sorted[i]}` : `№${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

export interface BurstSummaryInput {
  summaryId: number;
  group: BurstGroup;
  /** The incidents listed, in the order they joined. */
  incidents: readonly { id: number; urgency: Urgency }[];
  /** The page of buttons to show (clamped to the pages there are). */
  page: number;
}

export interface BurstSummaryView {
  text: string;
  buttons: Button[][];
  /** The page shown, after clamping, and how many there are. */
  page: number;
  pages: number;
}

const BUTTONS_PER_ROW = 4;
/** Hundreds of scattered numbers could pass Telegram's 4096 characters: each list is cut to this. */
const LIST_MAX = 1700;

export function renderBurstSummary(
  input: BurstSummaryInput,
  config: Pick<Config, 'municipalities' | 'templates' | 'region' | 'burst' | 'problems'>,
): BurstSummaryView {
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}) => modText(config, key, values);
  const urgent = input.incidents.filter((i) => i.urgency === 'emergency');
  // Urgent ones first, then in the order they came: the buttons a moderator needs most come first.
  const ordered = [...urgent, ...input.incidents.filter((i) => i.urgency !== 'emergency')];
  const perPage = config.burst.buttonsPerPage;
  const pages = Math.max(1, Math.ceil(ordered.length / perPage));
  const page = Math.min(Math.max(0, input.page), pages - 1);
  const lines = [
    t('burst_title', {
      topic: safeTelegramHtml(topicLabel(input.group.topic)),
      // The problem's name, as on the cards («ЖКХ · Электроснабжение»), never its id.
      problem: input.group.problem ? ` · ${safeTelegramHtml(config.problems.label(input.group.problem as ProblemId))}` : '',
      municipality: safeTelegramHtml(municipalityName(config, input.group.municipalityId)),
      count: countOf(input.incidents.length, INCIDENTS),
    }),
    urgent.length > 0 ? t('burst_urgent', { list: clipText(numberRanges(urgent.map((i) => i.id)), LIST_MAX) }) : '',
    t('burst_numbers', { list: clipText(numberRanges(input.incidents.map((i) => i.id)), LIST_MAX) }),
    t('burst_hint'),
    pages > 1 ? t('burst_page', { page: page + 1, pages }) : '',
  ];
  const shown = ordered.slice(page * perPage, (page + 1) * perPage);
  const buttons: Button[][] = [];
  for (let i = 0; i < shown.length; i += BUTTONS_PER_ROW) {
    buttons.push(
      shown.slice(i, i + BUTTONS_PER_ROW).map((incident) => ({
        text: t(incident.urgency === 'emergency' ? 'burst_button_open_urgent' : 'burst_button_open', { number: incident.id }),
        data: `burst:open:${incident.id}`,
      })),
    );
  }
  const turn: Button[] = [];
  if (page > 0) turn.push({ text: t('burst_button_prev'), data: `burst:page:${input.summaryId}:${page - 1}` });
  if (page < pages - 1) turn.push({ text: t('burst_button_next'), data: `burst:page:${input.summaryId}:${page + 1}` });
  if (turn.length > 0) buttons.push(turn);
  return { text: clipText(lines.filter(Boolean).join('\n'), MESSAGE_TEXT_MAX), buttons, page, pages };
}
