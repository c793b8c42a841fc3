/**
 * Figures: the web console with a region's registry (200,000 incidents by default, shaped as in
 * synthetic-registry.ts). The bot runs against the emulator with the console on; a moderator
 * signs in by a /login link as a person would; every figure is a real HTTP request over loopback:
 *   - the table's first page (the default view: open incidents, newest first) p95,
 *   - filtered pages (urgency + overdue, a topic + municipality + sort by deadline, a text search,
 *     a deep page) p95,
 *   - the dashboard for 30 days p95,
 *   - a bulk answer of 500 selected incidents (one POST; replies then go out at the platforms' pace),
 *   - the RSS the console adds: the compiled bot in a process of its own with the console on,
 *     after those requests, minus the same bot with `console.enabled: false` (console-rss-run.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from '../app.js';
import { authorKey } from '../domain/inbound-message.js';
import { Emulator } from '../emulator/emulator.js';
import { silentLogger } from '../logger.js';
import { openDb } from '../store/db.js';
import { migrateToLatest } from '../store/migrator.js';
import { SyntheticIncidentStore } from '../store/synthetic-incident-store.js';
import { type BenchWorld, benchConfig, buildBenchWorld } from './bench-world.js';
import { compiledBenchScript, run } from './compiled.js';
import { type Figure, percentile } from './figure.js';
import { BENCH_DELIVERY_LIMITS } from './pipeline-throughput.js';
import { syntheticRegistry } from './synthetic-registry.js';

export interface ConsoleBenchOptions {
  tmpDir: string;
  incidents: number;
  /** Requests per measured view. */
  samples: number;
  bulk: number;
}

/** The regional operator who signs in, and the people who hold incidents. */
const MODERATORS = [
  { platform: 'telegram', id: 9001, name: 'Оператор ЦУР', role: 'regional', municipalityId: null },
  { platform: 'telegram', id: 9101, name: 'Ирина, ЖКХ', role: 'municipal', municipalityId: 'zarechensk' },
  { platform: 'telegram', id: 9102, name: 'Павел, дороги', role: 'municipal', municipalityId: 'zarechensk' },
  { platform: 'telegram', id: 9103, name: 'Мария, Сосновка', role: 'municipal', municipalityId: 'sosnovka' },
  { platform: 'telegram', id: 9104, name: 'Олег, регион', role: 'regional', municipalityId: null },
];

const FILTERED_VIEWS = [
  '/incidents?urgency=emergency&due=overdue',
  '/incidents?status=all&topic=housing&municipality=zarechensk&sort=due',
  `/incidents?status=all&q=${encodeURIComponent('фонарь на улице Мира')}`,
  '/incidents?status=answered&page=40',
];

/** Days the synthetic registry spans: a big region's year. */
const REGISTRY_DAYS = 365;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dashboardView = (now: number, days = 30) => `/dashboard?from=${day(now - (days - 1) * 86_400_000)}&to=${day(now)}`;
const mb = (value: number) => Math.round(value * 10) / 10;

/** RSS of the compiled bot with the console on (after `rounds` of every view) and off, each in a process of its own. */
async function consoleRss(
  tmpDir: string,
  world: BenchWorld,
  views: string[],
  rounds: number,
): Promise<{ on: number; off: number; heapOn: number; heapOff: number }> {
  const script = await compiledBenchScript('console-rss-run');
  const input = join(tmpDir, 'console-rss.json');
  writeFileSync(input, JSON.stringify({ world, views }));
  const measure = async (mode: 'on' | 'off') => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=128', script, input, mode, String(rounds)], {
      maxBuffer: 2 ** 20,
      timeout: 10 * 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { rssMb: number; heapMb: number };
  };
  const off = await measure('off');
  const on = await measure('on');
  return { on: on.rssMb, off: off.rssMb, heapOn: on.heapMb, heapOff: off.heapMb };
}

export async function measureConsole(options: ConsoleBenchOptions): Promise<Figure[]> {
  const emulator = await Emulator.start();
  const dbPath = join(options.tmpDir, 'console.sqlite');
  const world = buildBenchWorld(emulator, {
    communities: 2,
    postsPerCommunity: 1,
    dbPath,
    telegram: false,
    overrides: { console: { enabled: true, port: 0 }, moderators: MODERATORS },
  });
  const now = Date.now();
  const config = benchConfig(world);
  const registry = syntheticRegistry(options.incidents, world.groups, config, now, REGISTRY_DAYS);
  const seedDb = openDb(dbPath);
  migrateToLatest(seedDb);
  // The bench's own seeding store, outside the bot's Stores: the bot never writes synthetic rows.
  const seeded = new SyntheticIncidentStore(seedDb).insert(registry.incidents, registry.spikes);
  seedDb.close();
  const views = ['/incidents', ...FILTERED_VIEWS, dashboardView(now)];

  let app: App | undefined;
  try {
    // Memory first, on the database as seeded, before the bulk answer below changes it.
    const rss = await consoleRss(options.tmpDir, world, views, Math.max(2, Math.ceil(options.samples / 3)));

    app = await App.create({ config, logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS, processMetrics: false });
    await app.start();
    const base = `http://${app.consoleAddress!.host}:${app.consoleAddress!.port}`;
    const token = app.stores.consoleSessions.issueLink(authorKey(app.config.moderators[0]!), Date.now(), 600_000);
    const signIn = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (path: string): Promise<string> => {
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`bench: ${path} answered ${response.status}`);
      return response.text();
    };
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await get('/incidents'))![1]!;
    const timed = async (paths: string[]): Promise<number> => {
      for (const path of paths) await get(path); // warm-up: statement cache, page cache
      const ms: number[] = [];
      for (let i = 0; i < options.samples; i += 1) {
        const path = paths[i % paths.length]!;
        const t = process.hrtime.bigint();
        await get(path);
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return percentile(ms, 95);
    };
    const firstPage = await timed(['/incidents']);
    const filtered = await timed(FILTERED_VIEWS);
    const dashboard = await timed([dashboardView(now)]);
    // The stress case: every incident of the registry in one view (a year, as a yearly report would ask).
    const dashboardYear = await timed([dashboardView(now, REGISTRY_DAYS)]);

    // The newest open incidents, as an operator would tick them page after page.
    const open = app.stores.consoleQueries.page(
      { statuses: ['new', 'accepted', 'needs_info'] },
      { key: 'id', desc: true },
      { offset: 0, limit: options.bulk },
      Date.now(),
    );
    const ids = open.rows.map((r) => String(r.id));
    const body = new URLSearchParams({
      _csrf: csrf,
      action: 'answer',
      text: 'Работы завершены, спасибо за обращение.',
      scope: 'selected',
      view: 'status=open',
    });
    for (const id of ids) body.append('id', id);
    const t = process.hrtime.bigint();
    const bulk = await fetch(`${base}/incidents/bulk`, { method: 'POST', body, headers: { cookie } });
    const bulkText = await bulk.text();
    const bulkS = Number(process.hrtime.bigint() - t) / 1e9;
    if (!bulkText.includes(`Выполнено: ${ids.length} из ${ids.length}`)) throw new Error('bench: the bulk answer did not answer every incident');

    const note = `${seeded.toLocaleString('en')} incidents over ${REGISTRY_DAYS} days in SQLite (WAL): departments, holders, reopened, several reporters, ${registry.spikes.length} spikes, 8 % questions; ${options.samples} requests per view after a warm-up, over loopback with a session`;
    const figure = (id: string, name: string, value: number, unit: string, limit: number, what: string): Figure => ({
      id,
      name,
      value: Math.round(value * 10) / 10,
      unit,
      target: `≤ ${limit} ${unit}`,
      baselineName: '—',
      baseline: null,
      ratio: null,
      ratioMeaning: '',
      pass: value <= limit,
      note: `${what}; ${note}`,
    });
    return [
      figure(
        'console.firstPageP95',
        'console: table, first page p95',
        firstPage,
        'ms',
        150,
        'GET /incidents (open incidents, newest first, 50 rows and the count)',
      ),
      figure(
        'console.filteredPageP95',
        'console: filtered page p95',
        filtered,
        'ms',
        250,
        'urgency+overdue; topic+municipality sorted by deadline; text search; page 40 of answered',
      ),
      figure(
        'console.dashboardP95',
        'console: dashboard p95',
        dashboard,
        'ms',
        500,
        'GET /dashboard for 30 days: by day and topic, SLA per municipality and department, medians, ratings, queues, spikes',
      ),
      {
        ...figure(
          'console.dashboardYearP95',
          `console: dashboard for ${REGISTRY_DAYS} days p95`,
          dashboardYear,
          'ms',
          500,
          'GET /dashboard over the whole registry: a stress case, not a target of the issue',
        ),
        target: 'none (stress case)',
        pass: null,
      },
      figure(
        'console.bulkAnswer',
        `console: bulk answer of ${ids.length}`,
        bulkS,
        's',
        5,
        `one POST /incidents/bulk: each through the /answer code, one transaction; the replies (${ids.length} × reporters) queued in the outbox`,
      ),
      {
        ...figure(
          'console.rssAddedMb',
          'console: RSS added',
          rss.on - rss.off,
          'MB',
          30,
          `compiled bot (node --max-old-space-size=128, after gc) in its own process: RSS with the console on after every view above × ${Math.max(2, Math.ceil(options.samples / 3))}, minus RSS with console.enabled: false`,
        ),
        baselineName: 'RSS, console off',
        baseline: mb(rss.off),
        ratio: rss.on / rss.off,
        ratioMeaning: 'on ÷ off',
        note: `console on ${mb(rss.on)} MB (heap ${mb(rss.heapOn)}), off ${mb(rss.off)} MB (heap ${mb(rss.heapOff)}); ${note}`,
      },
    ];
  } finally {
    await app?.stop();
    await emulator.close();
  }
}
