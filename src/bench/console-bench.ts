/**
 * Figures: the web console with a region's registry (200,000 incidents by default). The bot runs
 * against the emulator with the console on; a moderator signs in by a /login link as a person
 * would; every figure is a real HTTP request over loopback:
 *   - the table's first page (the default view: open incidents, newest first) p95,
 *   - filtered pages (urgency + overdue, a topic + municipality + sort by deadline, a text search) p95,
 *   - the dashboard for 30 days p95,
 *   - a bulk answer of 500 selected incidents (one POST; replies then go out at the platforms' pace),
 *   - the RSS the console adds: after the measured requests, over the bot's RSS with the console idle.
 */
import { join } from 'node:path';
import { App } from '../app.js';
import type { TopicId } from '../domain/detection.js';
import { authorKey } from '../domain/inbound-message.js';
import type { IncidentStatus } from '../domain/incident.js';
import { Emulator } from '../emulator/emulator.js';
import { silentLogger } from '../logger.js';
import { openDb } from '../store/db.js';
import { migrateToLatest } from '../store/migrator.js';
import { type SyntheticIncident, SyntheticIncidentStore } from '../store/synthetic-incident-store.js';
import { benchConfig, buildBenchWorld } from './bench-world.js';
import { type Figure, percentile } from './figure.js';
import { BENCH_DELIVERY_LIMITS } from './pipeline-throughput.js';

export interface ConsoleBenchOptions {
  tmpDir: string;
  incidents: number;
  /** Requests per measured view. */
  samples: number;
  bulk: number;
}

const TOPICS: TopicId[] = ['housing', 'roads', 'waste', 'transport', 'improvement', 'health', 'education', 'social', 'safety', 'ecology', 'communications', 'other'];
const WORDS: Record<string, string> = { housing: 'нет воды', roads: 'яма на дороге', waste: 'не вывозят мусор', transport: 'автобус не ходит', improvement: 'не горит фонарь' };
const STREETS = ['Лесная', 'Садовая', 'Ленина', 'Мира', 'Школьная', 'Новая', 'Заречная', 'Полевая'];
const REGIONAL_ID = 9001;

export function* synthetic(count: number, groups: number[], now: number): Generator<SyntheticIncident> {
  // Deterministic: the same registry on every run.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const span = 60 * 86_400_000;
  for (let i = 0; i < count; i += 1) {
    const createdAt = now - span + Math.floor((i / count) * span);
    const topic = TOPICS[Math.floor(rand() * TOPICS.length)]!;
    const age = now - createdAt;
    const r = rand();
    // Older incidents are mostly done; the last days are mostly open.
    const status: IncidentStatus = age > 3 * 86_400_000 ? (r < 0.7 ? 'closed' : r < 0.9 ? 'answered' : r < 0.95 ? 'rejected' : 'accepted') : r < 0.4 ? 'new' : r < 0.7 ? 'accepted' : r < 0.9 ? 'answered' : 'needs_info';
    const answered = status === 'answered' || status === 'closed';
    yield {
      groupId: groups[i % groups.length]!,
      commentId: i + 1,
      authorId: 1_000_000 + i,
      text: `${WORDS[topic] ?? 'проблема'} на улице ${STREETS[i % STREETS.length]} ${i % 97}, обращение жителя ${i}`,
      topic,
      urgency: rand() < 0.05 ? 'emergency' : 'normal',
      municipalityId: rand() < 0.8 ? 'zarechensk' : rand() < 0.9 ? 'sosnovka' : null,
      departmentId: null,
      status,
      createdAt,
      acceptedAt: status === 'new' ? null : createdAt + Math.floor(rand() * 4 * 3_600_000),
      answeredAt: answered ? createdAt + Math.floor(rand() * 30 * 3_600_000) : null,
      acceptDueAt: createdAt + 3 * 3_600_000,
      answerDueAt: createdAt + 24 * 3_600_000,
    };
  }
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function measureConsole(options: ConsoleBenchOptions): Promise<Figure[]> {
  const emulator = await Emulator.start();
  const dbPath = join(options.tmpDir, 'console.sqlite');
  const world = buildBenchWorld(emulator, {
    communities: 2,
    postsPerCommunity: 1,
    dbPath,
    telegram: false,
    overrides: {
      console: { enabled: true, port: 0 },
      moderators: [{ platform: 'telegram', id: REGIONAL_ID, name: 'Оператор ЦУР', role: 'regional', municipalityId: null }],
    },
  });
  const now = Date.now();
  const seedDb = openDb(dbPath);
  migrateToLatest(seedDb);
  const seeded = new SyntheticIncidentStore(seedDb).insert(synthetic(options.incidents, world.groups, now));
  seedDb.close();

  let app: App | undefined;
  try {
    app = await App.create({ config: benchConfig(world), logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS, processMetrics: false });
    await app.start();
    const base = `http://${app.consoleAddress!.host}:${app.consoleAddress!.port}`;
    const moderator = app.config.moderators[0]!;
    const token = app.stores.consoleSessions.issueLink(authorKey(moderator), Date.now(), 600_000);
    const signIn = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (path: string): Promise<string> => {
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`bench: ${path} answered ${response.status}`);
      return response.text();
    };
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await get('/incidents'))![1]!;
    const rssIdle = process.memoryUsage().rss;
    const timed = async (paths: string[]): Promise<number> => {
      for (const path of paths) await get(path); // warm-up: statement cache, page cache
      const ms: number[] = [];
      for (let i = 0; i < options.samples; i += 1) {
        const path = paths[i % paths.length]!;
        const t = process.hrtime.bigint();
        await get(path);
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return percentile(ms.sort((a, b) => a - b), 95);
    };
    const firstPage = await timed(['/incidents']);
    const filtered = await timed([
      '/incidents?urgency=emergency&due=overdue',
      '/incidents?status=all&topic=housing&municipality=zarechensk&sort=due',
      `/incidents?status=all&q=${encodeURIComponent('фонарь на улице Мира')}`,
      '/incidents?status=answered&page=40',
    ]);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const dashboard = await timed([`/dashboard?from=${day(now - 29 * 86_400_000)}&to=${day(now)}`]);

    const ids = (app.db.prepare("SELECT id FROM incidents WHERE status IN ('new', 'accepted', 'needs_info') ORDER BY id DESC LIMIT ?").all(options.bulk) as { id: number }[]).map((r) => String(r.id));
    const body = new URLSearchParams({ _csrf: csrf, action: 'answer', text: 'Работы завершены, спасибо за обращение.', scope: 'selected', view: 'status=open' });
    for (const id of ids) body.append('id', id);
    const t = process.hrtime.bigint();
    const bulk = await fetch(`${base}/incidents/bulk`, { method: 'POST', body, headers: { cookie } });
    const bulkText = await bulk.text();
    const bulkS = Number(process.hrtime.bigint() - t) / 1e9;
    if (!bulkText.includes(`Выполнено: ${ids.length} из ${ids.length}`)) throw new Error('bench: the bulk answer did not answer every incident');
    const rssAfter = process.memoryUsage().rss;

    const note = `${seeded.toLocaleString('en')} incidents over 60 days in SQLite (WAL); ${options.samples} requests per view after a warm-up, over loopback with a session`;
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
      figure('console.firstPageP95', 'console: table, first page p95', firstPage, 'ms', 150, 'GET /incidents (open incidents, newest first, 50 rows and the count)'),
      figure('console.filteredPageP95', 'console: filtered page p95', filtered, 'ms', 250, 'urgency+overdue; topic+municipality sorted by deadline; text search; page 40 of answered'),
      figure('console.dashboardP95', 'console: dashboard p95', dashboard, 'ms', 500, 'GET /dashboard for 30 days: by day and topic, SLA per municipality and department, medians, rating'),
      figure('console.bulkAnswer', `console: bulk answer of ${ids.length}`, bulkS, 's', 5, `one POST /incidents/bulk: each through the /answer code, one transaction; the replies (${ids.length} × reporters) queued in the outbox`),
      figure('console.rssAddedMb', 'console: RSS added', mb(rssAfter - rssIdle), 'MB', 30, 'process RSS after every request above minus RSS with the console listening idle (the bot, its modules and the database already loaded)'),
    ];
  } finally {
    await app?.stop();
    await emulator.close();
  }
}
