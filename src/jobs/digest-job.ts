import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import { outboxKey } from '../outbox/outbox-key.js';
import { type ChartImage, renderDigestChart } from '../reports/chart.js';
import { collectChartSeries, collectDigestStats, type DigestStats, type Period } from '../reports/digest-stats.js';
import { formatDigest, ruDate } from '../reports/digest-text.js';
import type { Stores } from '../store/stores.js';

export interface DigestJobDeps {
  stores: Pick<Stores, 'stats' | 'outbox'>;
  config: Config;
  clock: () => number;
  logger: Logger;
}

export interface DigestRunResult {
  date: string;
  stats: DigestStats;
  /** Null when the digest of that day was already queued. */
  outboxId: number | null;
  /** The chart's photo row; null when none was queued (already queued, no chart, not written). */
  chartOutboxId: number | null;
  chart: (ChartImage & { path: string | null }) | null;
}

// === The job

/**
 * The daily digest: the numbers of the previous local day (overdue counted at run time) to the
 * moderators' chat, once per day (outbox key `digest:<date>`), and the chart of the last
 * `digest.chartDays` days as a PNG written to `digest.chartDir` and queued after it as a photo
 * (key `digest-chart:<date>`, so a re-run of the day's digest queues nothing new).
 */
export class DigestJob {
  constructor(private readonly deps: DigestJobDeps) {}

  run(): DigestRunResult {
    const { stores, config, clock, logger } = this.deps;
    const now = clock();
    const tz = config.region.timezone;
    const date = addDays(localDate(now, tz), -1);
    const period: Period = { from: zonedTimeToInstant(date, 0, tz), to: zonedTimeToInstant(addDays(date, 1), 0, tz) };
    const stats = collectDigestStats(stores.stats, period, { asOf: now });
    const text = formatDigest(stats, config, alertText(config, 'digest_title', { date: ruDate(date) }));
    const room = moderatorsRoom(config);
    let outboxId: number | null = null;
    if (room === null) logger.warn('no moderators chat (telegram.moderatorsChatId or max.moderatorsChatId): the digest has nowhere to go');
    else
      outboxId = stores.outbox.enqueue(
        { idempotencyKey: outboxKey({ kind: 'digest', date }), message: { destination: roomMessage(room), text, format: 'html' }, purpose: 'digest' },
        now,
      );

    let chart: DigestRunResult['chart'] = null;
    let chartOutboxId: number | null = null;
    if (config.digest.chart) {
      try {
        chart = this.renderChart(now, date);
        if (outboxId !== null && room !== null) {
          if (chart.path === null) logger.warn('the digest chart could not be written to digest.chartDir; it is not sent');
          else {
            const caption = alertText(config, 'digest_chart_caption', { days: config.digest.chartDays, date: ruDate(date) });
            chartOutboxId = stores.outbox.enqueue(
              {
                idempotencyKey: outboxKey({ kind: 'digest-chart', date }),
                purpose: 'digest',
                message: { destination: roomMessage(room), text: caption, format: 'plain', photo: { path: chart.path } },
              },
              now,
            );
          }
        }
      } catch (cause) {
        // The numbers matter more than the picture: a chart failure never loses the digest.
        logger.error({ err: cause }, 'digest chart failed');
      }
    }
    logger.info({ date, total: stats.total, overdue: stats.overdue.count, queued: outboxId !== null }, 'digest done');
    return { date, stats, outboxId, chartOutboxId, chart };
  }

  /** Render the chart of the `chartDays` days ending with `date` and write it to `chartDir`. */
  renderChart(now: number, date: string): ChartImage & { path: string | null } {
    const { stores, config } = this.deps;
    const tz = config.region.timezone;
    const endOfDate = zonedTimeToInstant(addDays(date, 1), 0, tz) - 1;
    const series = collectChartSeries(stores.stats, Math.min(now, endOfDate), config.digest.chartDays, tz);
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
