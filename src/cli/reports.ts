/**
 * `otklik stats` and `otklik export`: read-only reports from the database, beside a running bot
 * (SQLite WAL lets them read while it writes). They need the config files but no tokens.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FileConfig, loadConfigFilesOnly } from '../config.js';
import { addDays, zonedTimeToInstant } from '../domain/working-calendar.js';
import { ConfigError, MigrationError } from '../errors.js';
import { toCsv } from '../reports/csv.js';
import { collectDigestStats } from '../reports/digest-stats.js';
import { INCIDENT_EXPORT_HEADER, incidentExportRow } from '../reports/incident-export.js';
import { parsePeriod, periodTitle } from '../reports/period.js';
import { formatStatsText } from '../reports/stats-text.js';
import { type Db, openDb } from '../store/db.js';
import { MIGRATIONS_DIR, planMigrations, readMigrations } from '../store/migrator.js';
import type { ExportSourceRow } from '../store/stats-store.js';
import { createStores } from '../store/stores.js';

export interface ReportIo {
  env: NodeJS.ProcessEnv;
  /** Where the text goes; default stdout. */
  out?: NodeJS.WritableStream;
  /** Epoch ms; default Date.now. */
  clock?: () => number;
}

/** Open the bot's database for reading; refuse clearly when it is missing or not migrated. */
function openReportDb(config: FileConfig): Db {
  const path = config.database.path;
  if (path !== ':memory:' && !existsSync(path)) {
    throw new ConfigError(`No database at ${resolve(path)}: start the bot once, or run \`otklik migrate --commit\`.`);
  }
  const db = openDb(path);
  const plan = planMigrations(db, readMigrations(MIGRATIONS_DIR));
  if (plan.pending.length > 0) {
    db.close();
    throw new MigrationError(`The database ${path} is at schema version ${plan.current} and needs migrations: run \`otklik migrate\` to see them.`);
  }
  return db;
}

/** `otklik stats [--period 7d] [--json]`: counts by status, topic, municipality and source, timings, overdue. */
export function runStats(io: ReportIo, options: { period: string; json: boolean; municipality?: string }): void {
  const config = loadConfigFilesOnly(io.env);
  const now = (io.clock ?? Date.now)();
  const parsed = parsePeriod(options.period, now, config.region.timezone);
  if (!parsed) {
    throw new ConfigError(`Unknown period "${options.period}": use --period today, yesterday, week, month, Nd (e.g. 7d), YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD`);
  }
  const m = options.municipality;
  if (m !== undefined && !config.municipalities.some((x) => x.id === m)) {
    throw new ConfigError(`Unknown municipality "${m}"; known: ${config.municipalities.map((x) => x.id).join(', ') || 'none'}`);
  }
  const db = openReportDb(config);
  try {
    const stats = collectDigestStats(createStores(db).stats, parsed.period, m === undefined ? { asOf: now } : { asOf: now, municipalityId: m });
    const out = io.out ?? process.stdout;
    out.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStatsText(stats, config, periodTitle(config, parsed.span)));
  } finally {
    db.close();
  }
}

export interface ExportOptions {
  /** First local day, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last local day, YYYY-MM-DD (inclusive). */
  to: string;
  /** The CSV file to write; `-` for stdout. */
  out: string;
  /** Include the citizens' texts (default true); anonymised incidents never have one. */
  text: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(name: string, value: string): void {
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`--${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
}

/** `otklik export --from --to --out`: incidents registered in [from, to] (local days) as CSV for Russian Excel (`;`, BOM, Russian headers and values). */
export function runExport(io: ReportIo, options: ExportOptions): { rows: number; path: string | null } {
  checkDate('from', options.from);
  checkDate('to', options.to);
  if (options.to < options.from) throw new ConfigError(`--to (${options.to}) is before --from (${options.from})`);
  const config = loadConfigFilesOnly(io.env);
  const tz = config.region.timezone;
  const now = (io.clock ?? Date.now)();
  const db = openReportDb(config);
  let rows: ExportSourceRow[];
  try {
    rows = createStores(db).stats.exportRows({ from: zonedTimeToInstant(options.from, 0, tz), to: zonedTimeToInstant(addDays(options.to, 1), 0, tz) }, now);
  } finally {
    db.close();
  }
  const csv = toCsv(
    INCIDENT_EXPORT_HEADER,
    rows.map((row) => incidentExportRow(row, config, { includeText: options.text })),
  );
  if (options.out === '-') {
    (io.out ?? process.stdout).write(csv);
    return { rows: rows.length, path: null };
  }
  writeFileSync(options.out, csv, 'utf8');
  return { rows: rows.length, path: resolve(options.out) };
}
