/**
 * The console's downloads: every table view as the same CSV as `otklik export` (`;`, a BOM,
 * Russian headers and values, local dates), and the dashboard's tables.
 */
import type { Config } from '../config.js';
import { municipalityName, topicLabel } from '../texts.js';
import { toCsv, type CsvCell } from '../reports/csv.js';
import { INCIDENT_EXPORT_HEADER, incidentExportRow } from '../reports/incident-export.js';
import { type ConsoleFilter, type ConsoleQueryStore, type DashboardFigures, type SlaFigures } from '../store/console-query-store.js';
import type { ConsoleText } from './console-texts.js';

/** The incidents of a view, with the citizens' texts (the console is internal). */
export function consoleCsv(queries: ConsoleQueryStore, filter: ConsoleFilter, config: Config, now: number): string {
  const rows = queries.exportRows(filter, now);
  return toCsv(INCIDENT_EXPORT_HEADER, rows.map((row) => incidentExportRow(row, config, { includeText: true })));
}

const share = (part: number, whole: number): CsvCell => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** The dashboard's SLA tables, one after another, each with its title line. */
export function dashboardCsv(figures: DashboardFigures, config: Config, t: ConsoleText): string {
  const header = [t('dash_group'), t('dash_body'), t('dash_total'), t('dash_accept_in_time_pct'), t('dash_answer_in_time_pct'), t('dash_overdue'), t('dash_median_answer_min')];
  const rows = (group: string, list: SlaFigures[], name: (key: string | null) => string): CsvCell[][] =>
    list.map((g) => [group, name(g.key), g.total, share(g.acceptedInTime, g.withAcceptDue), share(g.answeredInTime, g.withAnswerDue), g.overdue, g.medianAnswerMinutes === null ? null : Math.round(g.medianAnswerMinutes)]);
  const topics = new Map<string, number>();
  for (const row of figures.byDay) topics.set(row.topic, (topics.get(row.topic) ?? 0) + row.n);
  return toCsv(header, [
    ...rows(t('dash_by_municipality'), figures.byMunicipality, (key) => municipalityName(config, key)),
    ...rows(t('dash_by_department'), figures.byDepartment, (key) => (key === null ? '—' : (config.departments.find((d) => d.id === key)?.name ?? key))),
    ...[...topics.entries()].map(([topic, n]): CsvCell[] => [t('dash_by_topic'), topicLabel(topic), n, null, null, null, null]),
  ]);
}
