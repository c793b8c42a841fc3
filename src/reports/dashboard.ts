/**
 * The console's dashboard as numbers: a period's complaints by day and topic, shares of topics
 * and municipalities, SLA figures per municipality and department (first reaction and answer
 * within their deadlines, overdue now, median times), the rating of bodies with a minimum volume,
 * everyone's queue, spikes, and the questions counted apart. Composed from ConsoleQueryStore's
 * grouped reads; pure apart from those reads. The page and `dashboard.csv` only render it.
 *
 * Questions (incident kind `question`) are requests for information: they stay out of every
 * complaint figure, the SLA shares and the rating, and are reported on their own line.
 */
import type { TopicId } from '../domain/detection.js';
import type { ConsoleFilter, ConsoleQueryStore, DashboardGroupRow, DurationCount, HolderQueue, SpikeRef } from '../store/console-query-store.js';
import { percentileOfCounts } from './percentile.js';

/** Incidents whose deadline is decided: met in time, or late (met late, or passed while it runs). */
export interface SlaCount {
  inTime: number;
  late: number;
}

/** The figures of one body (or of everything, key null in `overall`). */
export interface SlaGroup {
  /** Municipality or department id; null: the regional queue, or no department. */
  key: string | null;
  total: number;
  /** Of the period's complaints; null with none. */
  share: number | null;
  accept: SlaCount;
  answer: SlaCount;
  /** Past a running deadline now. */
  overdue: number;
  /** Median minutes from registration to the first reaction, to the answer; null when none got there. */
  medianReactionMinutes: number | null;
  medianAnswerMinutes: number | null;
}

export interface RatingRow {
  place: number;
  group: SlaGroup;
}

export interface DayRow {
  /** Local date, YYYY-MM-DD. */
  day: string;
  total: number;
  byTopic: Partial<Record<TopicId, number>>;
}

export interface Dashboard {
  overall: SlaGroup;
  /** Days with complaints, oldest first. */
  days: DayRow[];
  /** Topics with complaints, the most first, with their share. */
  byTopic: { topic: TopicId; total: number; share: number | null }[];
  byMunicipality: SlaGroup[];
  byDepartment: SlaGroup[];
  /** Bodies with at least `minVolume` complaints, best first: the share of answers in time, then of reactions in time, then volume. */
  rating: { minVolume: number; municipalities: RatingRow[]; departments: RatingRow[] };
  /** Open incidents by holder now (not only the period's), the longest queue first. */
  holders: HolderQueue[];
  spikes: SpikeRef[];
  /** The period's questions: how many, and how many got an answer. */
  questions: { total: number; answered: number };
}

export interface DashboardOptions {
  /** The region's offset from UTC for local days. */
  timezoneOffsetMinutes: number;
  now: number;
  /** The least complaints a body needs to be rated (config console.ratingMinVolume). */
  ratingMinVolume: number;
}

/** The share of decided deadlines met in time; null when none is decided. */
export function inTimeShare(count: SlaCount): number | null {
  const decided = count.inTime + count.late;
  return decided === 0 ? null : count.inTime / decided;
}

/** Everything the dashboard shows for a filter (a period within the moderator's scope). */
export function collectDashboard(queries: ConsoleQueryStore, filter: ConsoleFilter, options: DashboardOptions): Dashboard {
  const { now } = options;
  const rows = queries.dashboardGroups(filter, options.timezoneOffsetMinutes, now);
  const complaints = rows.filter((r) => r.kind === 'complaint');
  const questions = rows.filter((r) => r.kind === 'question');
  const complaintFilter: ConsoleFilter = { ...filter, kind: 'complaint' };
  const reactions = queries.durationCounts(complaintFilter, 'reaction', now);
  const answers = queries.durationCounts(complaintFilter, 'answer', now);
  const total = sum(complaints, (r) => r.total);
  const grouped = (key: (r: { municipalityId: string | null; departmentId: string | null }) => string | null) =>
    [...groupBy(complaints, key)]
      .map(([k, list]) => slaGroup(k, list, total, medianOf(reactions, key, k), medianOf(answers, key, k)))
      .sort((a, b) => b.total - a.total);
  const byMunicipality = grouped((r) => r.municipalityId);
  const byDepartment = grouped((r) => r.departmentId);
  const everything = () => null;
  return {
    overall: slaGroup(null, complaints, total, medianOf(reactions, everything, null), medianOf(answers, everything, null)),
    days: dayRows(complaints),
    byTopic: [...groupBy(complaints, (r) => r.topic)]
      .map(([topic, list]) => ({ topic, total: sum(list, (r) => r.total), share: total === 0 ? null : sum(list, (r) => r.total) / total }))
      .sort((a, b) => b.total - a.total || a.topic.localeCompare(b.topic)),
    byMunicipality,
    byDepartment,
    rating: {
      minVolume: options.ratingMinVolume,
      municipalities: rateBodies(byMunicipality, options.ratingMinVolume),
      departments: rateBodies(byDepartment, options.ratingMinVolume),
    },
    holders: queries.holderQueues(filter.scopeMunicipalityId, now),
    spikes: queries.spikesStarted(filter, now),
    questions: { total: sum(questions, (r) => r.total), answered: sum(questions, (r) => r.answered) },
  };
}

/**
 * The rating of bodies as regions publish it: those with at least `minVolume` complaints (the
 * regional queue and incidents without a department are not bodies), ranked by the share of
 * answers in time, then of first reactions in time, then by volume.
 */
export function rateBodies(groups: readonly SlaGroup[], minVolume: number): RatingRow[] {
  const score = (share: number | null) => share ?? -1;
  return groups
    .filter((g) => g.key !== null && g.total >= minVolume)
    .sort(
      (a, b) => score(inTimeShare(b.answer)) - score(inTimeShare(a.answer)) || score(inTimeShare(b.accept)) - score(inTimeShare(a.accept)) || b.total - a.total,
    )
    .map((group, i) => ({ place: i + 1, group }));
}

function slaGroup(
  key: string | null,
  rows: readonly DashboardGroupRow[],
  periodTotal: number,
  medianReactionMinutes: number | null,
  medianAnswerMinutes: number | null,
): SlaGroup {
  const total = sum(rows, (r) => r.total);
  return {
    key,
    total,
    share: periodTotal === 0 ? null : total / periodTotal,
    accept: { inTime: sum(rows, (r) => r.acceptInTime), late: sum(rows, (r) => r.acceptLate) },
    answer: { inTime: sum(rows, (r) => r.answerInTime), late: sum(rows, (r) => r.answerLate) },
    overdue: sum(rows, (r) => r.overdue),
    medianReactionMinutes,
    medianAnswerMinutes,
  };
}

function medianOf(counts: readonly DurationCount[], key: (c: DurationCount) => string | null, value: string | null): number | null {
  return percentileOfCounts(
    counts.filter((c) => key(c) === value).map((c) => [c.minutes, c.count] as const),
    0.5,
  );
}

function dayRows(rows: readonly DashboardGroupRow[]): DayRow[] {
  const days = new Map<string, DayRow>();
  for (const r of rows) {
    const day = days.get(r.day) ?? { day: r.day, total: 0, byTopic: {} };
    day.total += r.total;
    day.byTopic[r.topic] = (day.byTopic[r.topic] ?? 0) + r.total;
    days.set(r.day, day);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
