/**
 * The incident export an analyst opens in a spreadsheet: which columns, in what order, and how
 * each is written. Pure: the CLI reads the rows (StatsStore.exportRows) and writes the file.
 *
 * Written for Excel in a Russian locale: Russian headers and values (status, urgency, topic,
 * channel, «да»/«нет»), times local to the region as `ДД.ММ.ГГГГ ЧЧ:ММ:СС` (which it reads as
 * date-times); durations are whole minutes from registration; names replace ids so a table reads
 * without the config at hand.
 */
import type { Config, FileConfig } from '../config.js';
import type { Urgency } from '../domain/detection.js';
import { parseSourceKey } from '../domain/inbound-message.js';
import type { IncidentKind } from '../domain/incident.js';
import type { ProblemId } from '../domain/problem.js';
import type { ThreadRef } from '../domain/thread-ref.js';
import { threadLink } from '../domain/thread-ref.js';
import { zonedParts } from '../domain/working-calendar.js';
import type { ExportSourceRow } from '../store/stats-store.js';
import { CHANNEL_LABELS, KIND_NAMES, municipalityName, statusName, topicLabel, URGENCY_NAMES } from '../texts.js';
import type { CsvCell } from './csv.js';

export interface ExportOptions {
  /** The citizen's text; false leaves the column empty (a file to share outside the centre). */
  includeText: boolean;
}

export const INCIDENT_EXPORT_COLUMNS = [
  'number',
  'created',
  'channel',
  'source',
  'municipality',
  'department',
  'holder',
  'topic',
  'problem',
  'urgency',
  'status',
  'kind',
  'acknowledged',
  'accepted',
  'answered',
  'closed',
  'minutes_to_ack',
  'minutes_to_answer',
  'accept_due',
  'answer_due',
  'overdue',
  'text',
  'link',
] as const;

/** The header Russian Excel shows for each column. */
export const INCIDENT_EXPORT_HEADERS: Record<(typeof INCIDENT_EXPORT_COLUMNS)[number], string> = {
  number: 'Номер',
  created: 'Зарегистрировано',
  channel: 'Канал',
  source: 'Источник',
  municipality: 'Муниципалитет',
  department: 'Ответственный',
  holder: 'Исполнитель',
  topic: 'Тема',
  problem: 'Проблема',
  urgency: 'Срочность',
  status: 'Статус',
  kind: 'Вид',
  acknowledged: 'Подтверждено жителю',
  accepted: 'Принято в работу',
  answered: 'Дан ответ',
  closed: 'Закрыто',
  minutes_to_ack: 'Минут до подтверждения',
  minutes_to_answer: 'Минут до ответа',
  accept_due: 'Срок принятия',
  answer_due: 'Срок ответа',
  overdue: 'Просрочено',
  text: 'Текст обращения',
  link: 'Ссылка',
};

/** The header record, in column order. */
export const INCIDENT_EXPORT_HEADER: readonly string[] = INCIDENT_EXPORT_COLUMNS.map((c) => INCIDENT_EXPORT_HEADERS[c]);

/** `YYYY-MM-DD HH:MM:SS` in the zone; empty for null. */
export function localDateTime(instant: number | null, timezone: string): string {
  if (instant === null) return '';
  const p = zonedParts(instant, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** `ДД.ММ.ГГГГ ЧЧ:ММ:СС` in the zone, as Russian Excel reads a date-time; empty for null. */
export function excelDateTime(instant: number | null, timezone: string): string {
  if (instant === null) return '';
  const p = zonedParts(instant, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}.${two(p.month)}.${p.year} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

const minutesBetween = (from: number, to: number | null): number | null => (to === null ? null : Math.round((to - from) / 60_000));

/** The community or chat a source key names: `vk:<groupId>` / `tg:<chatId>` / `max:<chatId>`. */
export function sourceName(config: Pick<FileConfig, 'vk' | 'telegram' | 'max'>, sourceKey: string): string {
  const source = parseSourceKey(sourceKey);
  const n = source?.id;
  if (source?.platform === 'vk') return config.vk.communities.find((c) => c.groupId === n)?.name ?? `VK ${n}`;
  if (source?.platform === 'telegram')
    return config.telegram.chats.find((c) => c.chatId === n)?.title ?? (source.id > 0 ? 'Telegram, личный чат' : `Telegram ${n}`);
  if (source?.platform === 'max') return [...config.max.chats, ...config.max.channels].find((c) => c.chatId === n)?.title ?? `MAX ${n}`;
  return sourceKey;
}

function parseThread(json: string): ThreadRef | null {
  try {
    return JSON.parse(json) as ThreadRef;
  } catch {
    return null;
  }
}

/** The cells of one incident, in INCIDENT_EXPORT_COLUMNS order. */
export function incidentExportRow(
  row: ExportSourceRow,
  config: Pick<FileConfig, 'vk' | 'telegram' | 'max' | 'municipalities' | 'departments' | 'region'> & Pick<Config, 'problems'>,
  options: ExportOptions,
): CsvCell[] {
  const tz = config.region.timezone;
  const anonymised = row.author_key === 'anonymised';
  const thread = parseThread(row.thread_json);
  return [
    row.id,
    excelDateTime(row.created_at, tz),
    CHANNEL_LABELS[row.channel] ?? row.channel,
    sourceName(config, row.source_key),
    municipalityName(config, row.municipality_id),
    row.department_id === null ? '' : (config.departments.find((d) => d.id === row.department_id)?.name ?? row.department_id),
    row.holder_name ?? '',
    topicLabel(row.topic),
    row.problem === null ? '' : config.problems.label(row.problem as ProblemId),
    URGENCY_NAMES[row.urgency as Urgency] ?? row.urgency,
    statusName(row.status),
    KIND_NAMES[row.kind as IncidentKind] ?? row.kind,
    excelDateTime(row.acknowledged_at, tz),
    excelDateTime(row.accepted_at, tz),
    excelDateTime(row.answered_at, tz),
    excelDateTime(row.closed_at, tz),
    minutesBetween(row.created_at, row.acknowledged_at),
    minutesBetween(row.created_at, row.answered_at),
    excelDateTime(row.accept_due_at, tz),
    excelDateTime(row.answer_due_at, tz),
    row.overdue === 1,
    options.includeText && !anonymised ? (row.text ?? '') : '',
    thread && !anonymised ? (threadLink(thread) ?? '') : '',
  ];
}
