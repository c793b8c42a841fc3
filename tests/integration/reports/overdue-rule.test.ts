import { describe, expect, it } from 'vitest';
import { isOverdue, runningDeadline } from '../../../src/domain/deadline-running.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../src/domain/incident.js';
import { DeadlineJob } from '../../../src/jobs/deadline-job.js';
import { slaPolicyFrom } from '../../../src/jobs/register-jobs.js';
import { silentLogger } from '../../../src/logger.js';
import { handleReport } from '../../../src/moderation/commands/report.js';
import { collectDigestStats } from '../../../src/reports/digest-stats.js';
import { createStores } from '../../../src/store/stores.js';
import { testConfig } from '../../helpers/index.js';
import { jobsDb, msk, seedIncident } from '../jobs/seed.js';

const HOUR = 3_600_000;

describe('the deadline rule', () => {
  it('should count a reopened incident with a renewed answer deadline as overdue in the digest, /report and the export, as the deadline job reminds it', () => {
    const db = jobsDb();
    const stores = createStores(db);
    const config = testConfig();
    const now = msk('2026-11-23T12:00:00');
    const created = msk('2026-11-20T10:00:00');
    // Answered on the 21st, reopened on the 22nd with a fresh answer deadline that has passed.
    const reopened = seedIncident(db, { createdAt: created, status: 'reopened', acceptedAt: created + HOUR, answeredAt: msk('2026-11-21T10:00:00'), answerDueAt: msk('2026-11-22T18:00:00') });
    // Reopened, but its deadline is the old one the answer met: not overdue, and not reminded.
    const stale = seedIncident(db, { createdAt: created, status: 'reopened', acceptedAt: created + HOUR, answeredAt: msk('2026-11-21T10:00:00'), answerDueAt: msk('2026-11-20T18:00:00') });

    const job = new DeadlineJob({ stores, config, clock: () => now, policy: slaPolicyFrom(config), logger: silentLogger() });
    expect(job.run().missed).toBe(1);
    const reminded = db.prepare<[], { incident_id: number }>("SELECT DISTINCT incident_id FROM outbox WHERE purpose IN ('reminder', 'alert')").all();
    expect(reminded).toEqual([{ incident_id: reopened }]);

    const period = { from: msk('2026-11-20T00:00:00'), to: now };
    expect(collectDigestStats(stores.stats, period, { asOf: now }).overdue).toEqual({ count: 1, ids: [reopened] });
    const moderator = config.moderators.find((m) => m.role === 'regional')!;
    expect(handleReport('2026-11-20..2026-11-23', { stores, config, clock: () => now, moderator }).text).toContain(`№${reopened}`);
    const exported = stores.stats.exportRows(period, now).map((r) => [r.id, r.overdue]);
    expect(exported).toEqual([
      [reopened, 1],
      [stale, 0],
    ]);
  });

  it('should be the same in SQL as in the domain for every status', () => {
    const db = jobsDb();
    const stores = createStores(db);
    const now = msk('2026-11-23T12:00:00');
    const past = now - HOUR;
    const future = now + HOUR;
    const cases: { id: number; status: IncidentStatus; answeredAt: number | null; acceptDueAt: number | null; answerDueAt: number | null }[] = [];
    for (const status of INCIDENT_STATUSES) {
      for (const answeredAt of [null, past - HOUR, past + 10]) {
        for (const acceptDueAt of [null, past, future]) {
          for (const answerDueAt of [null, past, future]) {
            const id = seedIncident(db, { createdAt: past - 10 * HOUR, status, answeredAt, acceptDueAt, answerDueAt });
            cases.push({ id, status, answeredAt, acceptDueAt, answerDueAt });
          }
        }
      }
    }
    const expected = cases.filter((c) => isOverdue(c, now)).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(stores.stats.overdueIds(now)).toEqual(expected);
    // The deadline job reads the incidents whose deadlines may run: every case with a running deadline is among them.
    const candidates = new Set(stores.incidents.withDeadlines().map((c) => c.id));
    for (const c of cases) if (runningDeadline(c, 'accept') !== null || runningDeadline(c, 'answer') !== null) expect(candidates.has(c.id)).toBe(true);
  });
});
