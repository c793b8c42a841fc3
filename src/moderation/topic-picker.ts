/**
 * The card's «Изменить тему» keyboard: the card's buttons give way to the topics, a topic to its
 * problems (and «только тема»), a choice corrects the incident and the card gets its own buttons
 * back. Pure: which buttons each screen shows and what their callback data asks for.
 *
 * Every screen has at most 8 choices, two a row, and one row of at most 2 navigation buttons (back
 * or cancel, more): 10 buttons in 5 rows, within the inline keyboards of Telegram, VK (10
 * buttons, 6 rows) and MAX. Labels are the taxonomy's (≤ 40 characters, VK's limit). Callback
 * data: `inc:topic:<incident>:<status>:<screen>` (≤ 64 bytes, Telegram's limit; a choice that would
 * not fit is left out), `<screen>` being
 *   `t<page>`              the topics, from page <page>;
 *   `p<page>.<topic>`      the topic's problems;
 *   `=<topic>`             choose the topic without a problem;
 *   `!<problem id>`        choose the problem (and its topic);
 *   `x`                    cancel: the card as it was.
 */
import { isTopicId, TOPIC_IDS, type TopicId } from '../domain/detection.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { Button } from '../domain/outbound.js';
import type { ProblemCatalog, ProblemId } from '../domain/problem.js';
import { TOPIC_LABELS } from '../texts.js';

export type PickerScreen =
  | { kind: 'topics'; page: number }
  | { kind: 'problems'; topic: TopicId; page: number }
  | { kind: 'choose'; topic: TopicId; problem: ProblemId | null }
  | { kind: 'cancel' };

/** The words of the navigation buttons and of «только тема» (config `card_picker_*` templates). */
export interface PickerWords {
  back: string;
  more: string;
  cancel: string;
  topicOnly: string;
}

const PER_PAGE = 8;
const DATA_MAX_BYTES = 64;

/** `<screen>` of the callback data, or null for anything we did not write. */
export function decodeScreen(screen: string | undefined, catalog: ProblemCatalog): PickerScreen | null {
  if (screen === undefined) return { kind: 'topics', page: 0 };
  if (screen === 'x') return { kind: 'cancel' };
  const topics = /^t(\d{1,2})$/.exec(screen);
  if (topics) return { kind: 'topics', page: Number(topics[1]) };
  const problems = /^p(\d{1,2})\.([a-z]+)$/.exec(screen);
  if (problems && isTopicId(problems[2]!)) return { kind: 'problems', topic: problems[2], page: Number(problems[1]) };
  const topic = /^=([a-z]+)$/.exec(screen)?.[1];
  if (topic !== undefined && isTopicId(topic)) return { kind: 'choose', topic, problem: null };
  const problem = /^!([a-z][a-z0-9_]*)$/.exec(screen)?.[1];
  const known = problem === undefined ? undefined : catalog.get(problem);
  return known ? { kind: 'choose', topic: known.topic, problem: known.id } : null;
}

/** The keyboard of a screen ('topics' or 'problems') for an incident whose card shows `status`. */
export function pickerButtons(
  screen: Extract<PickerScreen, { kind: 'topics' | 'problems' }>,
  incident: { id: number; status: IncidentStatus },
  catalog: ProblemCatalog,
  words: PickerWords,
): Button[][] {
  const data = (code: string) => `inc:topic:${incident.id}:${incident.status}:${code}`;
  const button = (text: string, code: string): Button[] =>
    new TextEncoder().encode(data(code)).length <= DATA_MAX_BYTES ? [{ text: text.slice(0, 40), data: data(code) }] : [];
  const choices: Button[] =
    screen.kind === 'topics'
      ? TOPIC_IDS.flatMap((t) => button(TOPIC_LABELS[t], catalog.ofTopic(t).length > 0 ? `p0.${t}` : `=${t}`))
      : [...button(words.topicOnly, `=${screen.topic}`), ...catalog.ofTopic(screen.topic).flatMap((p) => button(p.label, `!${p.id}`))];
  const pages = Math.max(1, Math.ceil(choices.length / PER_PAGE));
  const page = Math.min(screen.page, pages - 1);
  const shown = choices.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
  const rows: Button[][] = [];
  for (let i = 0; i < shown.length; i += 2) rows.push(shown.slice(i, i + 2));
  const at = (p: number) => (screen.kind === 'topics' ? `t${p}` : `p${p}.${screen.topic}`);
  // Back: the previous page, else (a topic's problems) the topics page that lists the topic, else cancel.
  const back =
    page > 0
      ? button(words.back, at(page - 1))
      : screen.kind === 'problems'
        ? button(words.back, `t${Math.floor(TOPIC_IDS.indexOf(screen.topic) / PER_PAGE)}`)
        : button(words.cancel, 'x');
  const next = page < pages - 1 ? button(words.more, at(page + 1)) : back[0]?.data.endsWith(':x') ? [] : button(words.cancel, 'x');
  rows.push([...back, ...next]);
  return rows;
}
