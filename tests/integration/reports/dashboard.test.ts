import { describe, expect, it } from 'vitest';
import { dashboardCsv } from '../../../src/console/console-export.js';
import { loadConsoleTexts } from '../../../src/console/console-texts.js';
import { dashboardPage } from '../../../src/console/dashboard-page.js';
import { parseIncidentView } from '../../../src/console/incident-view.js';
import { collectDashboard } from '../../../src/reports/dashboard.js';
import { createStores } from '../../../src/store/stores.js';
import { testConfig } from '../../helpers/index.js';
import { jobsDb, msk, seedIncident } from '../jobs/seed.js';

const now = msk('2026-11-23T12:00:00');
const period = { from: '2026-11-01', to: '2026-11-23' };
const filter = { from: msk('2026-11-01T00:00:00'), to: msk('2026-11-24T00:00:00') };

/** Complaints of two municipalities and three departments, a question, one from last month, a spike over two of them. */
function seeded() {
  const db = jobsDb();
  const stores = createStores(db);
  const config = testConfig({ console: { ratingMinVolume: 2 } });
  const at = (iso: string) => msk(`2026-11-${iso}`);
  const oleg = { key: 'tg:9002', name: 'Олег Зареченский' };
  const gkh = { municipalityId: 'zarechensk', departmentId: 'zar-gkh', topic: 'housing' as const };
  const ids = {
    // Reacted in 30 min (due in 60), answered in 4 h (due in 8).
    a: seedIncident(db, {
      ...gkh,
      createdAt: at('20T10:00:00'),
      status: 'answered',
      acceptedAt: at('20T10:30:00'),
      answeredAt: at('20T14:00:00'),
      acceptDueAt: at('20T11:00:00'),
      answerDueAt: at('20T18:00:00'),
    }),
    // Both late: reacted in 2 h, answered the next day.
    b: seedIncident(db, {
      ...gkh,
      createdAt: at('20T10:00:00'),
      status: 'answered',
      acceptedAt: at('20T12:00:00'),
      answeredAt: at('21T10:00:00'),
      acceptDueAt: at('20T11:00:00'),
      answerDueAt: at('20T18:00:00'),
    }),
    // Never touched, both deadlines passed: late twice and overdue; Oleg holds it.
    c: seedIncident(db, { ...gkh, createdAt: at('22T09:00:00'), status: 'new', acceptDueAt: at('22T10:00:00'), answerDueAt: at('22T18:00:00'), holder: oleg }),
    // Still within both deadlines: counted, neither in time nor late yet.
    d: seedIncident(db, {
      municipalityId: 'zarechensk',
      departmentId: 'zar-roads',
      topic: 'roads',
      createdAt: at('23T11:00:00'),
      status: 'new',
      acceptDueAt: at('23T13:00:00'),
      answerDueAt: at('23T20:00:00'),
    }),
    e: seedIncident(db, {
      municipalityId: 'sosnovka',
      departmentId: 'sos-admin',
      topic: 'roads',
      createdAt: at('21T09:00:00'),
      status: 'answered',
      acceptedAt: at('21T09:10:00'),
      answeredAt: at('21T12:00:00'),
      acceptDueAt: at('21T10:00:00'),
      answerDueAt: at('21T18:00:00'),
    }),
    question: seedIncident(db, {
      ...gkh,
      kind: 'question',
      createdAt: at('21T08:00:00'),
      status: 'answered',
      answeredAt: at('21T20:00:00'),
      answerDueAt: at('21T18:00:00'),
    }),
    lastMonth: seedIncident(db, { ...gkh, createdAt: msk('2026-10-15T10:00:00'), status: 'new', acceptDueAt: msk('2026-10-15T11:00:00') }),
  };
  const spike = stores.spikes.open(
    {
      scopeKey: 'housing|zarechensk',
      topic: 'housing',
      problem: null,
      municipalityId: 'zarechensk',
      place: 'ул. <b>Лесная</b>',
      windowHours: 3,
      count: 2,
      expected: 0.2,
      pValue: 0.001,
    },
    at('20T10:30:00'),
  );
  stores.spikes.link(spike, [ids.a, ids.b], at('20T10:30:00'));
  const dashboard = collectDashboard(stores.consoleQueries, filter, { timezoneOffsetMinutes: 180, now, ratingMinVolume: config.console.ratingMinVolume });
  return { db, stores, config, ids, spike, dashboard };
}

describe('the dashboard', () => {
  it('should count complaints by body with SLA outcomes, shares, medians and overdue, and questions apart', () => {
    const { dashboard } = seeded();
    expect(dashboard.overall).toMatchObject({
      total: 5,
      overdue: 1,
      accept: { inTime: 2, late: 2 },
      answer: { inTime: 2, late: 2 },
      medianReactionMinutes: 30,
      medianAnswerMinutes: 240,
    });
    expect(dashboard.questions).toEqual({ total: 1, answered: 1 });
    const zarechensk = dashboard.byMunicipality.find((g) => g.key === 'zarechensk')!;
    expect(zarechensk).toEqual({
      key: 'zarechensk',
      total: 4,
      share: 0.8,
      accept: { inTime: 1, late: 2 },
      answer: { inTime: 1, late: 2 },
      overdue: 1,
      medianReactionMinutes: 30,
      medianAnswerMinutes: 240,
    });
    expect(dashboard.byTopic).toEqual([
      { topic: 'housing', total: 3, share: 0.6 },
      { topic: 'roads', total: 2, share: 0.4 },
    ]);
    expect(dashboard.days.map((d) => [d.day, d.total, d.byTopic])).toEqual([
      ['2026-11-20', 2, { housing: 2 }],
      ['2026-11-21', 1, { roads: 1 }],
      ['2026-11-22', 1, { housing: 1 }],
      ['2026-11-23', 1, { roads: 1 }],
    ]);
    expect(dashboard.holders).toEqual([
      { holderKey: null, holderName: null, open: 2, overdue: 1 },
      { holderKey: 'tg:9002', holderName: 'Олег Зареченский', open: 1, overdue: 1 },
    ]);
  });

  it('should rate municipalities and departments with the configured minimum volume, by answers then reactions in time', () => {
    const { dashboard, stores } = seeded();
    expect(dashboard.rating.municipalities.map((r) => [r.place, r.group.key])).toEqual([[1, 'zarechensk']]);
    expect(dashboard.rating.departments.map((r) => [r.place, r.group.key])).toEqual([[1, 'zar-gkh']]);
    const everyone = collectDashboard(stores.consoleQueries, filter, { timezoneOffsetMinutes: 180, now, ratingMinVolume: 1 });
    expect(everyone.rating.municipalities.map((r) => r.group.key)).toEqual(['sosnovka', 'zarechensk']);
    // sos-admin answered all in time; zar-gkh one of three; zar-roads none decided yet.
    expect(everyone.rating.departments.map((r) => r.group.key)).toEqual(['sos-admin', 'zar-gkh', 'zar-roads']);
  });

  it('should link every count on the page to exactly the incidents it counted', async () => {
    const { config, dashboard, stores, spike, ids } = seeded();
    const t = loadConsoleTexts(config.configDir, 'ru');
    const moderator = config.moderators.find((m) => m.role === 'regional')!;
    const presets = [{ label: 'dash_previous_month' as const, from: '2026-10-01', to: '2026-10-31' }];
    const page = String(await dashboardPage({ config, t, now, moderator, csrf: 'x' }, { ...period, presets }, dashboard));
    const links = [...page.matchAll(/<a href="\/incidents\?([^"]+)">(?:с опозданием: )?(\d+)<\/a>/g)].map((m) => ({
      query: m[1]!.replace(/&amp;/g, '&'),
      count: Number(m[2]),
    }));
    expect(links.length).toBeGreaterThan(30);
    for (const link of links) {
      const view = parseIncidentView(new URLSearchParams(link.query), moderator, config);
      expect(stores.consoleQueries.page(view.filter, view.sort, { offset: 0, limit: 1 }, now).total, link.query).toBe(link.count);
    }
    for (const drill of ['sla=accept_late', 'sla=answer_late', 'due=overdue', 'kind=question', 'holder=tg%3A9002', 'holder=none'])
      expect(
        links.some((l) => l.query.includes(drill)),
        drill,
      ).toBe(true);
    // A spike opens the incidents it counted.
    expect(page).toContain(`href="/incidents?status=all&amp;spike=${spike}"`);
    expect(stores.consoleQueries.ids(parseIncidentView(new URLSearchParams(`status=all&spike=${spike}`), moderator, config).filter, 100, now)).toEqual([
      ids.a,
      ids.b,
    ]);
    // The medians open the incidents they were taken from.
    const reached = (what: string) =>
      parseIncidentView(new URLSearchParams(`status=all&kind=complaint&from=2026-11-01&to=2026-11-23&reached=${what}`), moderator, config).filter;
    expect(page).toContain('reached=answer');
    expect(stores.consoleQueries.ids(reached('answer'), 100, now)).toHaveLength(3);
    // A spike place is a config or detector value: escaped like everything else.
    expect(page).toContain('ул. &lt;b&gt;Лесная&lt;/b&gt;');
    expect(page).toContain('href="/dashboard?from=2026-10-01&amp;to=2026-10-31"');
  });

  it('should export every table of the dashboard for Excel', () => {
    const { config, dashboard } = seeded();
    const csv = dashboardCsv(dashboard, config, loadConsoleTexts(config.configDir, 'ru'));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFТаблица;Орган;Жалоб;Доля, %;Реакция в срок, %;Реакция с опозданием;Ответ в срок, %;Ответ с опозданием;Просрочено;Медиана до реакции, мин;Медиана до ответа, мин',
    );
    expect(lines).toContain('По муниципалитетам;Городской округ Зареченск;4;80;33,3;2;33,3;2;1;30;240');
    expect(lines).toContain('Рейтинг муниципалитетов за период (не менее 2 жалоб): доля ответов в срок;1;Городской округ Зареченск;4;33,3;33,3');
    expect(lines).toContain('Жалобы по дням и темам (таблица);2026-11-20;2;2;0');
    expect(lines).toContain('Очереди исполнителей сейчас (открытые обращения);Олег Зареченский;1;1');
  });
});
