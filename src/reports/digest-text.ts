/**
 * The digest's numbers as words: the daily digest and /report in Telegram HTML (config texts
 * `digest_*`, escaped values).
 */
import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { countOf } from '../domain/plural.js';
import { localDate } from '../domain/working-calendar.js';
import {
  CHANNEL_LABELS,
  escapeHtml,
  formatDuration,
  formatLocal,
  listFirst as list,
  municipalityName,
  OF_MESSAGES,
  statusPlural,
  topicAndProblem,
  topicLabel,
} from '../texts.js';
import type { DetectorFeedback, DigestStats, Timing } from './digest-stats.js';

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
  const statuses = Object.entries(stats.byStatus).map(([status, n]) => `${statusPlural(status)} ${n}`);
  lines.push(
    statuses.length > 0
      ? alertText(config, 'digest_total_by_status', { total: stats.total, statuses: statuses.join(', ') })
      : alertText(config, 'digest_total', { total: stats.total }),
  );
  if (stats.total > 0) {
    lines.push(alertText(config, 'digest_topics', { list: escapeHtml(list(stats.byTopic, (t) => `${topicLabel(t.topic)} ${t.count}`)) }));
    if (stats.byProblem.length > 0) lines.push(alertText(config, 'digest_problems', { list: escapeHtml(problemList(stats, config)) }));
    lines.push(
      alertText(config, 'digest_municipalities', {
        list: escapeHtml(list(stats.byMunicipality, (m) => `${municipalityName(config, m.municipalityId)} ${m.count}`)),
      }),
    );
    lines.push(alertText(config, 'digest_sources', { list: escapeHtml(list(stats.bySource, (s) => `${CHANNEL_LABELS[s.channel] ?? s.channel} ${s.count}`)) }));
    if (stats.municipalShare !== null) lines.push(alertText(config, 'digest_municipal_share', { percent: Math.round(stats.municipalShare * 100) }));
  }
  lines.push(timingLine(config, 'digest_time_ack', stats.timeToAck));
  lines.push(timingLine(config, 'digest_time_accept', stats.timeToAccept));
  lines.push(timingLine(config, 'digest_time_answer', stats.timeToAnswer));
  const overdue = stats.overdue.count;
  lines.push(
    overdue
      ? alertText(config, 'digest_overdue', { count: overdue, list: list(stats.overdue.ids, (id) => `№${id}`, maxListed) })
      : alertText(config, 'digest_overdue_none', { count: overdue }),
  );
  if (stats.spikes.length === 0) lines.push(alertText(config, 'digest_risks_none'));
  else {
    lines.push(alertText(config, 'digest_risks', { count: stats.spikes.length }));
    for (const s of stats.spikes.slice(0, maxListed)) {
      const place = s.place ? `, ${s.place}` : '';
      lines.push(
        alertText(config, 'digest_risk', {
          what: escapeHtml(`${topicAndProblem(config, s)}, ${municipalityName(config, s.municipalityId)}${place}`),
          count: s.count,
          expected: s.expected.toFixed(1).replace('.', ','),
          since: formatLocal(s.startedAt, tz),
          list: list(s.incidentIds, (id) => `№${id}`, 6),
        }),
      );
    }
  }
  lines.push(detectorLine(stats.detector, config));
  const r = stats.retention;
  lines.push(alertText(config, 'digest_retention', { messages: countOf(r.messagesCleared, OF_MESSAGES), incidents: r.incidentsAnonymised }));
  return lines.join('\n');
}

/** «Нет горячей воды 5, Лифт 3 и ещё 4»: the period's most frequent problems. */
export function problemList(stats: Pick<DigestStats, 'byProblem'>, config: Pick<Config, 'problems'>, max = 8): string {
  return list(stats.byProblem, (p) => `${config.problems.label(p.problem)} ${p.count}`, max);
}

const percentOf = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** The detector's week as the moderators saw it (`digest_detector`); plain text, no markup to escape. */
export function detectorLine(d: DetectorFeedback, config: Pick<Config, 'region' | 'templates'>): string {
  const tz = config.region.timezone;
  // «16.11–22.11»: the span's first and last local day (its end is exclusive).
  const day = (ms: number) => ruDate(localDate(ms, tz)).slice(0, 5);
  const span = { from: day(d.span.from), to: day(Math.max(d.span.from, d.span.to - 1)) };
  if (d.autoRegistered === 0 || d.precision === null) return alertText(config, 'digest_detector_none', span);
  const appeals = d.autoRegistered - d.notAppeals;
  return alertText(config, 'digest_detector', {
    ...span,
    auto: d.autoRegistered,
    rejected: d.notAppeals,
    precision: Math.round(d.precision * 100),
    topics: d.topicCorrected,
    topicsShare: percentOf(d.topicCorrected, appeals),
    problems: d.problemCorrected,
    problemsShare: percentOf(d.problemCorrected, appeals),
  });
}

/** `YYYY-MM-DD` → `DD.MM.YYYY`. */
export function ruDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
