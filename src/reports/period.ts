/**
 * The periods a report covers, as moderators and the CLI write them: (nothing) | сегодня | today;
 * вчера | yesterday; неделя | week; месяц | month; Nd (the last N days including today, N ≤ 366);
 * YYYY-MM-DD (one day); YYYY-MM-DD..YYYY-MM-DD (inclusive). Shared by /report, /stats and
 * `otklik stats`.
 */
import { modText } from '../domain/moderator-templates.js';
import type { TemplateConfig } from '../domain/template.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import type { Period } from './digest-stats.js';
import { ruDate } from './digest-text.js';

/** What a period covers, in the words its title needs. */
export type PeriodSpan =
  | { kind: 'today'; date: string }
  | { kind: 'day'; date: string }
  | { kind: 'range'; first: string; last: string }
  /** «неделя», «месяц». */
  | { kind: 'last_days'; days: number }
  /** «7d». */
  | { kind: 'days'; days: number };

/** A parsed period and what it covers, or null when the words are not a period. */
export function parsePeriod(args: string, now: number, timezone: string): { period: Period; span: PeriodSpan } | null {
  const word = args.trim().toLowerCase();
  const today = localDate(now, timezone);
  const dayStart = (date: string) => zonedTimeToInstant(date, 0, timezone);
  const lastDays = (days: number, kind: 'last_days' | 'days'): { period: Period; span: PeriodSpan } => ({
    period: { from: dayStart(addDays(today, -(days - 1))), to: now },
    span: { kind, days },
  });
  if (word === '' || word === 'сегодня' || word === 'today') return { period: { from: dayStart(today), to: now }, span: { kind: 'today', date: today } };
  if (word === 'вчера' || word === 'yesterday') {
    const date = addDays(today, -1);
    return { period: { from: dayStart(date), to: dayStart(today) }, span: { kind: 'day', date } };
  }
  if (word === 'неделя' || word === 'неделю' || word === 'week') return lastDays(7, 'last_days');
  if (word === 'месяц' || word === 'month') return lastDays(30, 'last_days');
  const days = /^(\d{1,3})\s*(d|д|дн|дней|дня)?$/.exec(word);
  if (days) {
    const n = Number(days[1]);
    return n >= 1 && n <= 366 ? lastDays(n, 'days') : null;
  }
  const range = /^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?$/.exec(word);
  if (range) {
    const first = range[1]!;
    const last = range[2] ?? first;
    if (Number.isNaN(Date.parse(first)) || Number.isNaN(Date.parse(last)) || last < first) return null;
    const span: PeriodSpan = first === last ? { kind: 'day', date: first } : { kind: 'range', first, last };
    return { period: { from: dayStart(first), to: Math.min(dayStart(addDays(last, 1)), Math.max(now, dayStart(first))) }, span };
  }
  return null;
}

/** The title of a report on `span` («Сводка за 23.11.2026»): `mod_report_title`, or `mod_stats_title` for /stats. */
export function periodTitle(config: TemplateConfig, span: PeriodSpan, title: 'mod_report_title' | 'mod_stats_title' = 'mod_report_title'): string {
  const period =
    span.kind === 'today' || span.kind === 'day'
      ? modText(config, span.kind === 'today' ? 'mod_period_today' : 'mod_period_day', { date: ruDate(span.date) })
      : span.kind === 'range'
        ? modText(config, 'mod_period_range', { first: ruDate(span.first), last: ruDate(span.last) })
        : modText(config, span.kind === 'days' ? 'mod_period_days' : 'mod_period_last_days', { days: span.days });
  return modText(config, title, { period });
}

/** This month so far and the whole previous month, as inclusive local dates: the dashboard's presets (ratings are published monthly). */
export function monthPresets(today: string): { thisMonth: { from: string; to: string }; previousMonth: { from: string; to: string } } {
  const first = `${today.slice(0, 8)}01`;
  const lastOfPrevious = addDays(first, -1);
  return { thisMonth: { from: first, to: today }, previousMonth: { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious } };
}
