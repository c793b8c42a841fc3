import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';
import { OutboxStore } from '../store/outbox-store.js';
import { renderDigestChart, type ChartImage } from './chart.js';
import { collectChartSeries, collectDigestStats, type DigestStats, type Period, type Timing } from './digest-stats.js';
import { countOf, type PluralForms } from '../domain/plural.js';
import { CHANNEL_LABELS, STATUS_LABELS, escapeHtml, listFirst as list, formatDuration, formatLocal, municipalityName, topicLabel } from './format.js';

/** A rendered chart on its way to the moderators' chat. */
export interface ChartDelivery {
  png: Buffer;
  caption: string;
  /** Same key on a re-run of the same day, for an idempotent photo send. */
  idempotencyKey: string;
  /** Where the PNG was written. */
  path: string | null;
}

export interface DigestJobDeps {
  db: Db;
  config: Config;
  clock: () => number;
  logger: Logger;
  /**
   * Sends the chart: called after the text is queued, with the PNG already written to
   * `digest.chartDir`. The app queues it as an outbox photo (key `digest-chart:<date>`).
   */
  deliverChart?: (chart: ChartDelivery) => void | Promise<void>;
}

export interface DigestRunResult {
  date: string;
  stats: DigestStats;
  /** Null when the digest of that day was already queued. */
  outboxId: number | null;
  chart: (ChartImage & { path: string | null }) | null;
}

// === Formatting (shared with /report)

/** «тексты 1 сообщения», «тексты 5 сообщений»: genitive after «тексты». */
const OF_MESSAGES: PluralForms = ['сообщения', 'сообщений', 'сообщений'];

function timingLine(config: Config, label: 'digest_time_ack' | 'digest_time_accept' | 'digest_time_answer', t: Timing): string {
  const timing =
    t.n === 0 || t.median === null || t.p90 === null
      ? alertText(config, 'digest_timing_none')
      : alertText(config, 'digest_timing', { median: formatDuration(t.median), p90: formatDuration(t.p90), n: t.n });
  return alertText(config, label, { timing });
}

/** The digest text in Telegram HTML. `title` names the period, e.g. «Сводка за 23.11.2026». */
export function formatDigest(stats: DigestStats, config: Config, title: string, maxListed = config.digest.maxListed): string {
  const tz = config.region.timezone;
  const lines = [alertText(config, 'digest_header', { title: escapeHtml(title), region: escapeHtml(config.region.name) })];
  const statuses = Object.entries(stats.byStatus).map(([status, n]) => `${STATUS_LABELS[status as keyof typeof STATUS_LABELS] ?? status} ${n}`);
  lines.push(
    statuses.length > 0 ? alertText(config, 'digest_total_by_status', { total: stats.total, statuses: statuses.join(', ') }) : alertText(config, 'digest_total', { total: stats.total }),
  );
  if (stats.total > 0) {
    lines.push(alertText(config, 'digest_topics', { list: escapeHtml(list(stats.byTopic, (t) => `${topicLabel(t.topic)} ${t.count}`)) }));
    lines.push(alertText(config, 'digest_municipalities', { list: escapeHtml(list(stats.byMunicipality, (m) => `${municipalityName(config, m.municipalityId)} ${m.count}`)) }));
    lines.push(alertText(config, 'digest_sources', { list: escapeHtml(list(stats.bySource, (s) => `${CHANNEL_LABELS[s.channel] ?? s.channel} ${s.count}`)) }));
    if (stats.municipalShare !== null) lines.push(alertText(config, 'digest_municipal_share', { percent: Math.round(stats.municipalShare * 100) }));
  }
  lines.push(timingLine(config, 'digest_time_ack', stats.timeToAck));
  lines.push(timingLine(config, 'digest_time_accept', stats.timeToAccept));
  lines.push(timingLine(config, 'digest_time_answer', stats.timeToAnswer));
  const overdue = stats.overdue.count;
  lines.push(overdue ? alertText(config, 'digest_overdue', { count: overdue, list: list(stats.overdue.ids, (id) => `№${id}`, maxListed) }) : alertText(config, 'digest_overdue_none', { count: overdue }));
  if (stats.spikes.length === 0) lines.push(alertText(config, 'digest_risks_none'));
  else {
    lines.push(alertText(config, 'digest_risks', { count: stats.spikes.length }));
    for (const s of stats.spikes.slice(0, maxListed)) {
      const place = s.place ? `, ${s.place}` : '';
      lines.push(
        alertText(config, 'digest_risk', {
          what: escapeHtml(`${topicLabel(s.topic)}, ${municipalityName(config, s.municipalityId)}${place}`),
          count: s.count,
          expected: s.expected.toFixed(1).replace('.', ','),
          since: formatLocal(s.startedAt, tz),
          list: list(s.incidentIds, (id) => `№${id}`, 6),
        }),
      );
    }
  }
  const r = stats.retention;
  lines.push(alertText(config, 'digest_retention', { messages: countOf(r.messagesCleared, OF_MESSAGES), incidents: r.incidentsAnonymised }));
  return lines.join('\n');
}

/** `YYYY-MM-DD` → `DD.MM.YYYY`. */
export function ruDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

// === The job

/**
 * The daily digest: the numbers of the previous local day (overdue counted at run time) to the
 * moderators' chat, once per day (outbox key `digest:<date>`), and the chart of the last
 * `digest.chartDays` days as a PNG written to `digest.chartDir` and handed to `deliverChart`.
 */
export class DigestJob {
  private readonly outbox: OutboxStore;

  constructor(private readonly deps: DigestJobDeps) {
    this.outbox = new OutboxStore(deps.db);
  }

  async run(): Promise<DigestRunResult> {
    const { db, config, clock, logger } = this.deps;
    const now = clock();
    const tz = config.region.timezone;
    const date = addDays(localDate(now, tz), -1);
    const period: Period = { from: zonedTimeToInstant(date, 0, tz), to: zonedTimeToInstant(addDays(date, 1), 0, tz) };
    const stats = collectDigestStats(db, period, { asOf: now });
    const text = formatDigest(stats, config, alertText(config, 'digest_title', { date: ruDate(date) }));
    const chatId = config.telegram.moderatorsChatId;
    let outboxId: number | null = null;
    if (chatId === null) logger.warn('telegram.moderatorsChatId is not set: the digest has nowhere to go');
    else outboxId = this.outbox.enqueue({ idempotencyKey: `digest:${date}`, message: { destination: { kind: 'telegram', chatId }, text, format: 'html' }, purpose: 'digest' }, now);

    let chart: DigestRunResult['chart'] = null;
    if (config.digest.chart) {
      try {
        chart = this.renderChart(now, date);
        if (outboxId !== null && this.deps.deliverChart) {
          const caption = alertText(config, 'digest_chart_caption', { days: config.digest.chartDays, date: ruDate(date) });
          await this.deps.deliverChart({ png: chart.png, caption, idempotencyKey: `digest-chart:${date}`, path: chart.path });
        }
      } catch (cause) {
        // The numbers matter more than the picture: a chart failure never loses the digest.
        logger.error({ err: cause }, 'digest chart failed');
      }
    }
    logger.info({ date, total: stats.total, overdue: stats.overdue.count, queued: outboxId !== null }, 'digest done');
    return { date, stats, outboxId, chart };
  }

  /** Render the chart of the `chartDays` days ending with `date` and write it to `chartDir`. */
  renderChart(now: number, date: string): ChartImage & { path: string | null } {
    const { db, config } = this.deps;
    const tz = config.region.timezone;
    const endOfDate = zonedTimeToInstant(addDays(date, 1), 0, tz) - 1;
    const series = collectChartSeries(db, Math.min(now, endOfDate), config.digest.chartDays, tz);
    const image = renderDigestChart(series, alertText(config, 'digest_chart_title', { region: config.region.name, date: ruDate(date) }));
    const dir = resolve(config.digest.chartDir);
    let path: string | null = null;
    try {
      mkdirSync(dir, { recursive: true });
      path = join(dir, `digest-${date}.png`);
      writeFileSync(path, image.png);
    } catch (cause) {
      this.deps.logger.warn({ err: cause, dir }, 'cannot write the digest chart');
      path = null;
    }
    return { ...image, path };
  }
}
