/**
 * The numbers of the daily digest, /report and `otklik stats` for a period [from, to), composed
 * from the store's reads (src/store/stats-store.ts), plus pure helpers (timings, local days).
 */
import type { TopicId } from '../domain/detection.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { ProblemId } from '../domain/problem.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import type { SpikeRow, StatsStore } from '../store/stats-store.js';
import { percentile } from './percentile.js';

export interface Period {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/** What the numbers cover: the whole region, or one municipality (a municipal moderator's /report). */
export interface StatsScope {
  /** Overdue incidents are counted at this instant (default: the period's end). */
  asOf?: number;
  /** Only incidents of this municipality; undefined: all. */
  municipalityId?: string;
}

export interface Timing {
  /** Incidents that reached the milestone. */
  n: number;
  /** Milliseconds; null when n = 0. */
  median: number | null;
  p90: number | null;
}

export type SpikeSummary = SpikeRow;

export interface DigestStats {
  period: Period;
  /** Incidents registered in the period. */
  total: number;
  /** Their current status. */
  byStatus: Partial<Record<IncidentStatus, number>>;
  /** Sorted by count, descending; municipality null is the regional queue. */
  byTopic: { topic: TopicId; count: number }[];
  /** The incidents that have a problem, by problem, most frequent first. */
  byProblem: { problem: ProblemId; count: number }[];
  byMunicipality: { municipalityId: string | null; count: number }[];
  bySource: { channel: string; count: number }[];
  /** From registration to the delivered acknowledgement, to acceptance, to the answer. */
  timeToAck: Timing;
  timeToAccept: Timing;
  timeToAnswer: Timing;
  /** Incidents past a deadline at the time of the report, whenever they were registered. */
  overdue: { count: number; ids: number[] };
  /** Share of the period's incidents routed to a municipality (not the regional queue); null with none. */
  municipalShare: number | null;
  spikes: SpikeSummary[];
  retention: { messagesCleared: number; incidentsAnonymised: number };
  /** The detector as moderators saw it over the week (7 days) ending with the period. */
  detector: DetectorFeedback;
}

/** How the detector fared with the moderators over a span (src/store/stats-store.ts `detectorFeedback`). */
export interface DetectorFeedback {
  span: Period;
  /** Complaints the bot registered on its own. */
  autoRegistered: number;
  /** Of those, rejected by a moderator as not an appeal. */
  notAppeals: number;
  /** 1 − notAppeals / autoRegistered; null with none registered. */
  precision: number | null;
  /** Of the appeals that stayed appeals: the topic changed, or only the problem. */
  topicCorrected: number;
  problemCorrected: number;
}

/** The week the detector's figures cover: the 7 days ending with `to`. */
export const DETECTOR_WEEK_MS = 7 * 86_400_000;

/** The detector's figures over a span. */
export function detectorFeedback(stats: StatsStore, span: Period, municipalityId?: string): DetectorFeedback {
  const f = stats.detectorFeedback(span, municipalityId);
  return { span, ...f, precision: f.autoRegistered === 0 ? null : 1 - f.notAppeals / f.autoRegistered };
}

export function timing(durations: readonly number[]): Timing {
  return { n: durations.length, median: percentile(durations, 0.5), p90: percentile(durations, 0.9) };
}

/** The local day containing `instant` and the `days - 1` days before it, as [from, to) instants. */
export function localDays(instant: number, days: number, timezone: string): { date: string; from: number; to: number }[] {
  const last = localDate(instant, timezone);
  const out: { date: string; from: number; to: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const date = addDays(last, -i);
    out.push({ date, from: zonedTimeToInstant(date, 0, timezone), to: zonedTimeToInstant(addDays(date, 1), 0, timezone) });
  }
  return out;
}

/**
 * Everything the digest says about a period. Reads only; cheap enough to run on demand (/report).
 * Retention counts are region-wide and left at zero for a municipality's scope.
 */
export function collectDigestStats(stats: StatsStore, period: Period, scope: StatsScope = {}): DigestStats {
  const m = scope.municipalityId;
  const byStatus = Object.fromEntries(stats.countBy<IncidentStatus>('status', period, m).map((r) => [r.key, r.count])) as DigestStats['byStatus'];
  const byMunicipality = stats.countBy<string>('municipality_id', period, m).map((r) => ({ municipalityId: r.key, count: r.count }));
  const total = byMunicipality.reduce((sum, r) => sum + r.count, 0);
  const municipal = byMunicipality.filter((r) => r.municipalityId !== null).reduce((sum, r) => sum + r.count, 0);
  const overdueIds = stats.overdueIds(scope.asOf ?? period.to, m);
  return {
    period,
    total,
    byStatus,
    byTopic: stats.countBy<TopicId>('topic', period, m).map((r) => ({ topic: r.key!, count: r.count })),
    byProblem: stats.countBy<ProblemId>('problem', period, m).flatMap((r) => (r.key === null ? [] : [{ problem: r.key, count: r.count }])),
    byMunicipality,
    bySource: stats.countBy<string>('channel', period, m).map((r) => ({ channel: r.key!, count: r.count })),
    timeToAck: timing(stats.durations('acknowledged_at', period, m)),
    timeToAccept: timing(stats.durations('accepted_at', period, m)),
    timeToAnswer: timing(stats.durations('answered_at', period, m)),
    overdue: { count: overdueIds.length, ids: overdueIds },
    municipalShare: total === 0 ? null : municipal / total,
    spikes: stats.spikesStarted(period, m),
    retention: m === undefined ? stats.retentionTotals(period) : { messagesCleared: 0, incidentsAnonymised: 0 },
    detector: detectorFeedback(stats, { from: period.to - DETECTOR_WEEK_MS, to: period.to }, m),
  };
}

export interface ChartSeries {
  /** Local dates, oldest first. */
  dates: string[];
  /** Incidents registered per day, per topic (topics with none in the range left out). */
  perTopic: { topic: TopicId; counts: number[] }[];
  /** Median and 90th percentile time to answer of the incidents registered that day, hours (null: none answered). */
  answerMedianHours: (number | null)[];
  answerP90Hours: (number | null)[];
}

/** The chart's data: `days` local days ending with the day of `now`. */
export function collectChartSeries(stats: StatsStore, now: number, days: number, timezone: string): ChartSeries {
  const range = localDays(now, days, timezone);
  const rows = stats.registered({ from: range[0]!.from, to: range.at(-1)!.to });
  const perTopic = new Map<TopicId, number[]>();
  const answers: number[][] = range.map(() => []);
  for (const row of rows) {
    const day = range.findIndex((d) => row.created_at >= d.from && row.created_at < d.to);
    if (day < 0) continue;
    let counts = perTopic.get(row.topic);
    if (!counts) perTopic.set(row.topic, (counts = range.map(() => 0)));
    counts[day]! += 1;
    if (row.answered_at !== null && row.answered_at >= row.created_at) answers[day]!.push((row.answered_at - row.created_at) / 3_600_000);
  }
  return {
    dates: range.map((d) => d.date),
    perTopic: [...perTopic].map(([topic, counts]) => ({ topic, counts })).sort((a, b) => sum(b.counts) - sum(a.counts)),
    answerMedianHours: answers.map((a) => percentile(a, 0.5)),
    answerP90Hours: answers.map((a) => percentile(a, 0.9)),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
