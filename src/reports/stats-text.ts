/**
 * `otklik stats`: the numbers of a period as plain text for a terminal (the digest's numbers,
 * without Telegram markup). Pure.
 */
import type { Config, FileConfig } from '../config.js';
import { CHANNEL_LABELS, formatDuration, municipalityName, statusPlural, topicAndProblem, topicLabel } from '../texts.js';
import type { DigestStats, Timing } from './digest-stats.js';
import { detectorLine } from './digest-text.js';
import { localDateTime } from './incident-export.js';

function table(rows: [string, number][], indent = '  '): string[] {
  if (rows.length === 0) return [`${indent}—`];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, n]) => `${indent}${label.padEnd(width)}  ${String(n).padStart(6)}`);
}

function timingText(t: Timing): string {
  if (t.n === 0 || t.median === null || t.p90 === null) return 'нет данных';
  return `медиана ${formatDuration(t.median)}, 90% — за ${formatDuration(t.p90)} (n=${t.n})`;
}

/** The report: counts by status, topic, problem, municipality and source, timings, overdue, spikes, the detector's week. */
export function formatStatsText(
  stats: DigestStats,
  config: Pick<FileConfig, 'municipalities' | 'region' | 'templates'> & Pick<Config, 'problems'>,
  title: string,
): string {
  const tz = config.region.timezone;
  const lines = [
    `${title} — ${config.region.name}`,
    `Период: ${localDateTime(stats.period.from, tz)} … ${localDateTime(stats.period.to, tz)} (${tz})`,
    `Обращений: ${stats.total}`,
    '',
    'По статусам:',
    ...table(Object.entries(stats.byStatus).map(([s, n]) => [statusPlural(s), n ?? 0])),
    'По темам:',
    ...table(stats.byTopic.map((t) => [topicLabel(t.topic), t.count])),
    'По проблемам:',
    ...table(stats.byProblem.slice(0, 20).map((p) => [config.problems.label(p.problem), p.count])),
    'По муниципалитетам:',
    ...table(stats.byMunicipality.map((m) => [municipalityName(config, m.municipalityId), m.count])),
    'По источникам:',
    ...table(stats.bySource.map((s) => [CHANNEL_LABELS[s.channel] ?? s.channel, s.count])),
    '',
    `До подтверждения: ${timingText(stats.timeToAck)}`,
    `До принятия:      ${timingText(stats.timeToAccept)}`,
    `До ответа:        ${timingText(stats.timeToAnswer)}`,
    `Просрочено сейчас: ${stats.overdue.count}${
      stats.overdue.count
        ? ` (${stats.overdue.ids
            .slice(0, 30)
            .map((id) => `№${id}`)
            .join(', ')}${stats.overdue.count > 30 ? ', …' : ''})`
        : ''
    }`,
    `Доля муниципалитетов: ${stats.municipalShare === null ? '—' : `${Math.round(stats.municipalShare * 100)}%`}`,
    detectorLine(stats.detector, config),
    `Всплесков (рисков): ${stats.spikes.length}`,
  ];
  for (const s of stats.spikes) {
    lines.push(
      `  ${topicAndProblem(config, s)}, ${municipalityName(config, s.municipalityId)}${s.place ? `, ${s.place}` : ''}: ${s.count} (обычно ${s.expected.toFixed(1)}), ${localDateTime(s.startedAt, tz)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
