/**
 * /report [period]: the digest's numbers for a period, on demand. A municipal moderator sees
 * their municipality only.
 *
 * Periods: (nothing) | сегодня | today; вчера | yesterday; неделя | week; месяц | month; Nd (the
 * last N days including today, N ≤ 366); YYYY-MM-DD (one day); YYYY-MM-DD..YYYY-MM-DD (inclusive).
 */
import type { Config, ModeratorConfig } from '../../config.js';
import { clipText } from '../../domain/clip-text.js';
import { safeText } from '../../domain/safe-text.js';
import { addDays, localDate, zonedTimeToInstant } from '../../domain/working-calendar.js';
import { collectDigestStats, type Period } from '../../jobs/digest-stats.js';
import { formatDigest, ruDate } from '../../jobs/digest-job.js';
import type { Db } from '../../store/db.js';

export interface ReportContext {
  db: Db;
  config: Config;
  clock: () => number;
  /** The moderator who asked (already checked to be a configured moderator). */
  moderator: ModeratorConfig;
}

export interface CommandReply {
  text: string;
  format: 'plain' | 'html';
}

export const REPORT_USAGE =
  'Использование: /report [сегодня | вчера | неделя | месяц | 7d | 2026-11-23 | 2026-11-01..2026-11-30]';

/** A parsed period with its title, or null when the words are not a period. */
export function parsePeriod(args: string, now: number, timezone: string): { period: Period; title: string } | null {
  const word = args.trim().toLowerCase();
  const today = localDate(now, timezone);
  const dayStart = (date: string) => zonedTimeToInstant(date, 0, timezone);
  const lastDays = (n: number, title: string) => ({ period: { from: dayStart(addDays(today, -(n - 1))), to: now }, title });
  if (word === '' || word === 'сегодня' || word === 'today') return { period: { from: dayStart(today), to: now }, title: `Сводка за сегодня, ${ruDate(today)}` };
  if (word === 'вчера' || word === 'yesterday') {
    const date = addDays(today, -1);
    return { period: { from: dayStart(date), to: dayStart(today) }, title: `Сводка за ${ruDate(date)}` };
  }
  if (word === 'неделя' || word === 'неделю' || word === 'week') return lastDays(7, 'Сводка за 7 дней');
  if (word === 'месяц' || word === 'month') return lastDays(30, 'Сводка за 30 дней');
  const days = /^(\d{1,3})\s*(d|д|дн|дней|дня)?$/.exec(word);
  if (days) {
    const n = Number(days[1]);
    return n >= 1 && n <= 366 ? lastDays(n, `Сводка за ${n} дн.`) : null;
  }
  const range = /^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?$/.exec(word);
  if (range) {
    const first = range[1]!;
    const last = range[2] ?? first;
    if (Number.isNaN(Date.parse(first)) || Number.isNaN(Date.parse(last)) || last < first) return null;
    const title = first === last ? `Сводка за ${ruDate(first)}` : `Сводка за ${ruDate(first)}–${ruDate(last)}`;
    return { period: { from: dayStart(first), to: Math.min(dayStart(addDays(last, 1)), Math.max(now, dayStart(first))) }, title };
  }
  return null;
}

/** Handle `/report <args>`: the digest text for the period, in Telegram HTML. */
export function handleReport(args: string, ctx: ReportContext): CommandReply {
  const now = ctx.clock();
  const parsed = parsePeriod(args, now, ctx.config.region.timezone);
  if (!parsed) return { text: `Не понял период «${safeText(clipText(args.trim(), 40), ctx.moderator.platform)}». ${REPORT_USAGE}`, format: 'plain' };
  const municipalityId = ctx.moderator.role === 'municipal' ? (ctx.moderator.municipalityId ?? undefined) : undefined;
  const stats = collectDigestStats(ctx.db, parsed.period, municipalityId === undefined ? { asOf: now } : { asOf: now, municipalityId });
  return { text: formatDigest(stats, ctx.config, parsed.title), format: 'html' };
}
