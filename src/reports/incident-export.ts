/**
 * The incident export an analyst opens in a spreadsheet: which columns, in what order, and how
 * each is written. Pure: the CLI reads the rows (StatsStore.exportRows) and writes the file.
 *
 * Times are local to the region (`YYYY-MM-DD HH:MM:SS`, which spreadsheets read as date-times);
 * durations are whole minutes from registration; names replace ids so a table reads without the
 * config at hand.
 */
import type { FileConfig } from '../config.js';
import type { ThreadRef } from '../domain/thread-ref.js';
import { threadLink } from '../domain/thread-ref.js';
import { zonedParts } from '../domain/working-calendar.js';
import { CHANNEL_LABELS, municipalityName, topicLabel } from '../texts.js';
import type { ExportSourceRow } from '../store/stats-store.js';
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
  'topic',
  'urgency',
  'status',
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

/** `YYYY-MM-DD HH:MM:SS` in the zone; empty for null. */
export function localDateTime(instant: number | null, timezone: string): string {
  if (instant === null) return '';
  const p = zonedParts(instant, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

const minutesBetween = (from: number, to: number | null): number | null => (to === null ? null : Math.round((to - from) / 60_000));

/** The community or chat a source key names: `vk:<groupId>` / `tg:<chatId>`. */
export function sourceName(config: Pick<FileConfig, 'vk' | 'telegram'>, sourceKey: string): string {
  const [platform, id] = sourceKey.split(':');
  const n = Number(id);
  if (platform === 'vk') return config.vk.communities.find((c) => c.groupId === n)?.name ?? `VK ${id}`;
  if (platform === 'tg') return config.telegram.chats.find((c) => c.chatId === n)?.title ?? (n > 0 ? 'Telegram, личный чат' : `Telegram ${id}`);
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
  config: Pick<FileConfig, 'vk' | 'telegram' | 'municipalities' | 'departments' | 'region'>,
  options: ExportOptions,
): CsvCell[] {
  const tz = config.region.timezone;
  const anonymised = row.author_key === 'anonymised';
  const thread = parseThread(row.thread_json);
  return [
    row.id,
    localDateTime(row.created_at, tz),
    CHANNEL_LABELS[row.channel] ?? row.channel,
    sourceName(config, row.source_key),
    municipalityName(config, row.municipality_id),
    row.department_id === null ? '' : (config.departments.find((d) => d.id === row.department_id)?.name ?? row.department_id),
    topicLabel(row.topic),
    row.urgency,
    row.status,
    localDateTime(row.acknowledged_at, tz),
    localDateTime(row.accepted_at, tz),
    localDateTime(row.answered_at, tz),
    localDateTime(row.closed_at, tz),
    minutesBetween(row.created_at, row.acknowledged_at),
    minutesBetween(row.created_at, row.answered_at),
    localDateTime(row.accept_due_at, tz),
    localDateTime(row.answer_due_at, tz),
    row.overdue === 1,
    options.includeText && !anonymised ? (row.text ?? '') : '',
    thread && !anonymised ? (threadLink(thread) ?? '') : '',
  ];
}
