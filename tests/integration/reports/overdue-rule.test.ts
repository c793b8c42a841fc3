import { describe, expect, it } from 'vitest';
import { consoleCsv } from '../../../src/console/console-export.js';
import { DEADLINE_OUTCOMES, deadlineOutcome, isOverdue, nextDeadline, runningDeadline } from '../../../src/domain/deadline-running.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../src/domain/incident.js';
import { DeadlineJob } from '../../../src/jobs/deadline-job.js';
import { slaPolicyFrom } from '../../../src/jobs/register-jobs.js';
import { silentLogger } from '../../../src/logger.js';
import { handleReport } from '../../../src/moderation/commands/report.js';
import { collectDashboard } from '../../../src/reports/dashboard.js';
import { collectDigestStats } from '../../../src/reports/digest-stats.js';
import { INCIDENT_EXPORT_COLUMNS } from '../../../src/reports/incident-export.js';
import { createStores } from '../../../src/store/stores.js';
import { testConfig } from '../../helpers/index.js';
import { jobsDb, msk, seedIncident } from '../jobs/seed.js';

const HOUR = 3_600_000;
const now = msk('2026-11-23T12:00:00');
const period = { from: msk('2026-11-20T00:00:00'), to: now };

/** Two reopened incidents, both answered on the 21st: one with a fresh answer deadline (passed), one still with the deadline the answer met. */
function reopenedPair() {
  const db = jobsDb();
  const created = msk('2026-11-20T10:00:00');
  const reopened = (answerDueAt: number) =>
    seedIncident(db, { createdAt: created, status: 'reopened', acceptedAt: created + HOUR, answeredAt: msk('2026-11-21T10:00:00'), answerDueAt });
  return { db, stores: createStores(db), config: testConfig(), reopened: reopened(msk('2026-11-22T18:00:00')), stale: reopened(msk('2026-11-20T18:00:00')) };
}

describe('the deadline rule', () => {
  it('should count a reopened incident with a renewed answer deadline as overdue in the digest, /report and the export, as the deadline job reminds it', () => {
    // The stale one is not overdue, and not reminded.
    const { db, stores, config, reopened, stale } = reopenedPair();

    const job = new DeadlineJob({ stores, config, clock: () => now, policy: slaPolicyFrom(config), logger: silentLogger() });
    expect(job.run().missed).toBe(1);
    const reminded = db.prepare<[], { incident_id: number }>("SELECT DISTINCT incident_id FROM outbox WHERE purpose IN ('reminder', 'alert')").all();
    expect(reminded).toEqual([{ incident_id: reopened }]);

    expect(collectDigestStats(stores.stats, period, { asOf: now }).overdue).toEqual({ count: 1, ids: [reopened] });
    const moderator = config.moderators.find((m) => m.role === 'regional')!;
    expect(handleReport('2026-11-20..2026-11-23', { stores, config, clock: () => now, moderator }).text).toContain(`№${reopened}`);
    const exported = stores.stats.exportRows(period, now).map((r) => [r.id, r.overdue]);
    expect(exported).toEqual([
      [reopened, 1],
      [stale, 0],
    ]);
  });

  it('should count a reopened incident with a renewed answer deadline as overdue in the console: filter, row flag, dashboard and CSV', () => {
    const { stores, config, reopened, stale } = reopenedPair();
    const queries = stores.consoleQueries;
    const sort = { key: 'id' as const, desc: false };
    const page = { offset: 0, limit: 50 };

    expect(queries.page({ due: { kind: 'overdue' } }, sort, page, now).rows.map((r) => r.id)).toEqual([reopened]);
    expect(queries.page({}, sort, page, now).rows.map((r) => [r.id, r.overdue])).toEqual([
      [reopened, true],
      [stale, false],
    ]);
    // The stale deadline was met by the answer: it is not the next deadline, so "due within" skips it too.
    expect(queries.page({ due: { kind: 'within', hours: 24 * 30 } }, sort, page, now).rows).toEqual([]);
    expect(collectDashboard(queries, period, { timezoneOffsetMinutes: 180, now, ratingMinVolume: 1 }).overall.overdue).toBe(1);
    const overdueColumn = INCIDENT_EXPORT_COLUMNS.indexOf('overdue');
    const csv = consoleCsv(queries, {}, config, now)
      .split('\r\n')
      .slice(1, 3)
      .map((line) => `${line.split(';')[0]}:${line.split(';')[overdueColumn]}`);
    expect(csv).toEqual([`${reopened}:да`, `${stale}:нет`]);
  });

  it('should be the same in SQL as in the domain for every status', () => {
    const db = jobsDb();
    const stores = createStores(db);
    const past = now - HOUR;
    const future = now + HOUR;
    const cases: {
      id: number;
      status: IncidentStatus;
      acceptedAt: number | null;
      answeredAt: number | null;
      acceptDueAt: number | null;
      answerDueAt: number | null;
    }[] = [];
    for (const status of INCIDENT_STATUSES) {
      for (const acceptedAt of [null, past - 2 * HOUR]) {
        for (const answeredAt of [null, past - HOUR, past + 10]) {
          for (const acceptDueAt of [null, past, future]) {
            for (const answerDueAt of [null, past, future]) {
              const id = seedIncident(db, { createdAt: past - 10 * HOUR, status, acceptedAt, answeredAt, acceptDueAt, answerDueAt });
              cases.push({ id, status, acceptedAt, answeredAt, acceptDueAt, answerDueAt });
            }
          }
        }
      }
    }
    const expected = cases.filter((c) => isOverdue(c, now)).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(stores.stats.overdueIds(now)).toEqual(expected);
    // The console's row: its overdue flag and next deadline.
    const rows = stores.consoleQueries.page({}, { key: 'id', desc: false }, { offset: 0, limit: cases.length }, now).rows;
    expect(rows.map((r) => [r.id, r.overdue, r.nextDueAt])).toEqual(cases.map((c) => [c.id, isOverdue(c, now), nextDeadline(c)]));
    // How each fared against each deadline: the dashboard's percentages and the filters they drill to.
    for (const deadline of ['accept', 'answer'] as const) {
      for (const outcome of DEADLINE_OUTCOMES) {
        const ids = stores.consoleQueries.ids({ sla: { deadline, outcome } }, cases.length, now);
        expect(ids, `${deadline} ${outcome}`).toEqual(cases.filter((c) => deadlineOutcome(c, deadline, now) === outcome).map((c) => c.id));
        expect(ids.length, `${deadline} ${outcome}`).toBeGreaterThan(0);
      }
    }
    // The deadline job reads the incidents whose deadlines may run: every case with a running deadline is among them.
    const candidates = new Set(stores.incidents.withDeadlines().map((c) => c.id));
    for (const c of cases) if (runningDeadline(c, 'accept') !== null || runningDeadline(c, 'answer') !== null) expect(candidates.has(c.id)).toBe(true);
  });
});
