/**
 * The numbers of the daily digest and of /report: plain SQL over incidents, spikes and
 * retention runs for a period [from, to), plus pure helpers (percentiles, local days).
 */
import type { TopicId } from '../domain/detection.js';
import type { IncidentStatus } from '../domain/incident.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import type { Db } from '../store/db.js';

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

type Params = { from: number; to: number; m: string | null };

function scopeSql(scope: StatsScope): string {
  return scope.municipalityId === undefined ? '' : ' AND municipality_id = @m';
}

export interface Timing {
  /** Incidents that reached the milestone. */
  n: number;
  /** Milliseconds; null when n = 0. */
  median: number | null;
  p90: number | null;
}

export interface SpikeSummary {
  id: number;
  topic: TopicId;
  municipalityId: string | null;
  place: string | null;
  count: number;
  expected: number;
  startedAt: number;
  incidentIds: number[];
}

export interface DigestStats {
  period: Period;
  /** Incidents registered in the period. */
  total: number;
  /** Their current status. */
  byStatus: Partial<Record<IncidentStatus, number>>;
  /** Sorted by count, descending; municipality null is the regional queue. */
  byTopic: { topic: TopicId; count: number }[];
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
}

/**
 * Nearest-rank percentile (the smallest value with at least p of the values at or below it):
 * always an observed value, no interpolation. `p` in (0, 1]. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function timing(durations: readonly number[]): Timing {
  return { n: durations.length, median: percentile(durations, 0.5), p90: percentile(durations, 0.9) };
}

/** SQL condition for "past a deadline at :to", shared with /report and the digest. */
export const OVERDUE_SQL = `((status = 'new' AND accept_due_at IS NOT NULL AND accept_due_at < @to)
  OR (status IN ('new', 'accepted') AND answer_due_at IS NOT NULL AND answer_due_at < @to))`;

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

function groupCounts<K extends string>(db: Db, column: string, params: Params, where: string): { key: K | null; count: number }[] {
  return db
    .prepare<Params, { key: K | null; count: number }>(
      `SELECT ${column} AS key, COUNT(*) AS count FROM incidents WHERE created_at >= @from AND created_at < @to${where}
        GROUP BY ${column} ORDER BY count DESC, key`,
    )
    .all(params);
}

function durations(db: Db, milestone: 'acknowledged_at' | 'accepted_at' | 'answered_at', params: Params, where: string): number[] {
  return db
    .prepare<Params, { d: number }>(
      `SELECT ${milestone} - created_at AS d FROM incidents
        WHERE created_at >= @from AND created_at < @to AND ${milestone} IS NOT NULL AND ${milestone} >= created_at${where}`,
    )
    .all(params)
    .map((r) => r.d);
}

/**
 * Everything the digest says about a period. Reads only; cheap enough to run on demand (/report).
 * Retention counts are region-wide and left at zero for a municipality's scope.
 */
export function collectDigestStats(db: Db, period: Period, scope: StatsScope = {}): DigestStats {
  const params: Params = { from: period.from, to: period.to, m: scope.municipalityId ?? null };
  const where = scopeSql(scope);
  const byStatus = Object.fromEntries(groupCounts<IncidentStatus>(db, 'status', params, where).map((r) => [r.key, r.count])) as DigestStats['byStatus'];
  const byMunicipality = groupCounts<string>(db, 'municipality_id', params, where).map((r) => ({ municipalityId: r.key, count: r.count }));
  const total = byMunicipality.reduce((sum, r) => sum + r.count, 0);
  const municipal = byMunicipality.filter((r) => r.municipalityId !== null).reduce((sum, r) => sum + r.count, 0);
  const overdueIds = db
    .prepare<{ to: number; m: string | null }, { id: number }>(`SELECT id FROM incidents WHERE ${OVERDUE_SQL}${where} ORDER BY id`)
    .all({ to: scope.asOf ?? period.to, m: params.m })
    .map((r) => r.id);
  const spikes = db
    .prepare<Params, { id: number; topic: TopicId; municipality_id: string | null; place: string | null; count: number; expected: number; started_at: number }>(
      `SELECT id, topic, municipality_id, place, count, expected, started_at FROM spikes
        WHERE started_at >= @from AND started_at < @to${where} ORDER BY started_at, id`,
    )
    .all(params);
  const linked = db.prepare<[number], { incident_id: number }>('SELECT incident_id FROM incident_spikes WHERE spike_id = ? ORDER BY incident_id');
  const retention =
    scope.municipalityId === undefined
      ? db
          .prepare<Period, { m: number | null; i: number | null }>(
            'SELECT SUM(messages_cleared) AS m, SUM(incidents_anonymised) AS i FROM retention_runs WHERE ran_at >= @from AND ran_at < @to',
          )
          .get(period)!
      : { m: 0, i: 0 };
  return {
    period,
    total,
    byStatus,
    byTopic: groupCounts<TopicId>(db, 'topic', params, where).map((r) => ({ topic: r.key!, count: r.count })),
    byMunicipality,
    bySource: groupCounts<string>(db, 'channel', params, where).map((r) => ({ channel: r.key!, count: r.count })),
    timeToAck: timing(durations(db, 'acknowledged_at', params, where)),
    timeToAccept: timing(durations(db, 'accepted_at', params, where)),
    timeToAnswer: timing(durations(db, 'answered_at', params, where)),
    overdue: { count: overdueIds.length, ids: overdueIds },
    municipalShare: total === 0 ? null : municipal / total,
    spikes: spikes.map((s) => ({
      id: s.id,
      topic: s.topic,
      municipalityId: s.municipality_id,
      place: s.place,
      count: s.count,
      expected: s.expected,
      startedAt: s.started_at,
      incidentIds: linked.all(s.id).map((r) => r.incident_id),
    })),
    retention: { messagesCleared: retention.m ?? 0, incidentsAnonymised: retention.i ?? 0 },
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
export function collectChartSeries(db: Db, now: number, days: number, timezone: string): ChartSeries {
  const range = localDays(now, days, timezone);
  const rows = db
    .prepare<[number, number], { topic: TopicId; created_at: number; answered_at: number | null }>(
      'SELECT topic, created_at, answered_at FROM incidents WHERE created_at >= ? AND created_at < ?',
    )
    .all(range[0]!.from, range.at(-1)!.to);
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
