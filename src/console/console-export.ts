/**
 * The console's downloads: every table view as the same CSV as `otklik export` (`;`, a BOM,
 * Russian headers and values, local dates), and the dashboard's tables.
 */
import type { Config } from '../config.js';
import { type CsvCell, toCsv, toCsvSections } from '../reports/csv.js';
import { type Dashboard, inTimeShare, type RatingRow, type SlaGroup } from '../reports/dashboard.js';
import { INCIDENT_EXPORT_HEADER, incidentExportRow } from '../reports/incident-export.js';
import type { ConsoleFilter, ConsoleQueryStore } from '../store/console-query-store.js';
import { municipalityName, topicLabel } from '../texts.js';
import { departmentName } from './console-pages.js';
import type { ConsoleText } from './console-texts.js';

/** The incidents of a view, with the citizens' texts (the console is internal). */
export function consoleCsv(queries: ConsoleQueryStore, filter: ConsoleFilter, config: Config, now: number): string {
  const rows = queries.exportRows(filter, now);
  return toCsv(
    INCIDENT_EXPORT_HEADER,
    rows.map((row) => incidentExportRow(row, config, { includeText: true })),
  );
}

/** A share as a percentage with one decimal, empty when there is nothing to share. */
const percent = (share: number | null): CsvCell => (share === null ? null : Math.round(share * 1000) / 10);
const minutes = (value: number | null): CsvCell => (value === null ? null : Math.round(value));

/**
 * The dashboard's tables one after another (the SLA figures per municipality and department,
 * topics, the ratings, complaints per day and topic, everyone's queue), each with its header;
 * every row starts with its table's name, so a filter on the first column picks one table.
 */
export function dashboardCsv(dashboard: Dashboard, config: Config, t: ConsoleText): string {
  const municipality = (key: string | null) => municipalityName(config, key);
  const department = (key: string | null) => departmentName(config, key);
  const slaHeader = [
    t('dash_group'),
    t('dash_body'),
    t('dash_total'),
    t('dash_share_pct'),
    t('dash_accept_in_time_pct'),
    t('dash_accept_late'),
    t('dash_answer_in_time_pct'),
    t('dash_answer_late'),
    t('dash_overdue'),
    t('dash_median_reaction_min'),
    t('dash_median_answer_min'),
  ];
  const sla = (table: string, groups: readonly SlaGroup[], name: (key: string | null) => string): CsvCell[][] =>
    groups.map((g) => [
      table,
      name(g.key),
      g.total,
      percent(g.share),
      percent(inTimeShare(g.accept)),
      g.accept.late,
      percent(inTimeShare(g.answer)),
      g.answer.late,
      g.overdue,
      minutes(g.medianReactionMinutes),
      minutes(g.medianAnswerMinutes),
    ]);
  const ratingHeader = [t('dash_group'), t('dash_place'), t('dash_body'), t('dash_total'), t('dash_answer_in_time_pct'), t('dash_accept_in_time_pct')];
  const rating = (table: string, rows: readonly RatingRow[], name: (key: string | null) => string): CsvCell[][] =>
    rows.map(({ place, group: g }) => [table, place, name(g.key), g.total, percent(inTimeShare(g.answer)), percent(inTimeShare(g.accept))]);
  const topics = dashboard.byTopic.map((b) => b.topic);
  const { minVolume } = dashboard.rating;
  return toCsvSections([
    {
      header: slaHeader,
      rows: [...sla(t('dash_by_municipality'), dashboard.byMunicipality, municipality), ...sla(t('dash_by_department'), dashboard.byDepartment, department)],
    },
    {
      header: [t('dash_group'), t('col_topic'), t('dash_total'), t('dash_share_pct')],
      rows: dashboard.byTopic.map((b) => [t('dash_by_topic'), topicLabel(b.topic), b.total, percent(b.share)]),
    },
    {
      header: ratingHeader,
      rows: [
        ...rating(t('dash_rating_municipalities', { min: minVolume }), dashboard.rating.municipalities, municipality),
        ...rating(t('dash_rating_departments', { min: minVolume }), dashboard.rating.departments, department),
      ],
    },
    {
      header: [t('dash_group'), t('col_when'), t('dash_total'), ...topics.map(topicLabel)],
      rows: dashboard.days.map((d) => [t('dash_by_day_topic'), d.day, d.total, ...topics.map((topic) => d.byTopic[topic] ?? 0)]),
    },
    {
      header: [t('dash_group'), t('col_holder'), t('dash_open'), t('dash_overdue')],
      rows: dashboard.holders.map((h) => [t('dash_holders'), h.holderKey === null ? t('holder_none') : (h.holderName ?? h.holderKey), h.open, h.overdue]),
    },
  ]);
}
