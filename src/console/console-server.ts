/**
 * The operators' web console and the Open311 read API: a second listener beside /healthz and
 * /metrics (config.console, off by default, on 127.0.0.1 behind a reverse proxy), built on Hono
 * and served by @hono/node-server.
 *
 * Security, checked on the server on every request: a session cookie (HttpOnly, SameSite=Strict,
 * Secure when the public URL is https, with an expiry) from a one-time /login link; the
 * moderator's rights from config, so a moderator removed from config is signed out at their next
 * request (and every session of theirs ends at start); a CSRF token in every form that changes
 * anything; a municipal moderator sees and acts on their municipality only, whatever the URL.
 * Actions go through the same function as the chat commands (carryOutAction): the same state
 * machine, permissions, texts and outbox.
 */

import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import type { Config, ModeratorConfig } from '../config.js';
import { authorKey } from '../domain/inbound-message.js';
import { INCIDENT_ACTIONS, type IncidentAction } from '../domain/incident-status.js';
import { addDays, localDate, zonedTimeToInstant, zoneOffsetMs } from '../domain/working-calendar.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModerationDeps } from '../moderation/command-feature.js';
import { type ActionInput, carryOutAction } from '../moderation/commands/incident-actions.js';
import { checkIncident } from '../moderation/incident-arg.js';
import { moderatorScope } from '../moderation/permissions.js';
import { collectDashboard, type Dashboard } from '../reports/dashboard.js';
import { monthPresets } from '../reports/period.js';
import type { ConsoleQueryStore } from '../store/console-query-store.js';
import type { ConsoleSessionStore } from '../store/console-session-store.js';
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets.js';
import { consoleCsv, dashboardCsv } from './console-export.js';
import type { ConsoleLoginLinks } from './console-login-links.js';
import { cardPage, incidentsPage, loginPage, messagePage, noticeBox, type PageContext } from './console-pages.js';
import { type ConsoleText, loadConsoleTexts } from './console-texts.js';
import { type DashboardPeriod, dashboardPage } from './dashboard-page.js';
import { parseIncidentView } from './incident-view.js';
import { Open311 } from './open311.js';

export interface ConsoleDeps {
  config: Config;
  clock: () => number;
  logger: Logger;
  /** What the chat commands run with: the console acts through the same code. */
  moderation: ModerationDeps;
  /** The sign-in links `/login` issues; told the address the console binds. */
  loginLinks: ConsoleLoginLinks;
  /** After an action committed: deliver what it queued. */
  onOutboxChanged: () => void;
}

type Env = { Variables: { moderator: ModeratorConfig; csrf: string; sessionId: string } };

const COOKIE = 'otklik_session';
/** The hardened name browsers tie to the exact origin; needs Secure. */
const SECURE_COOKIE = '__Host-otklik_session';

const require = createRequire(import.meta.url);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ConsoleServer {
  private server: ServerType | null = null;
  readonly app: Hono<Env>;
  private readonly t: ConsoleText;
  private readonly sessions: ConsoleSessionStore;
  private readonly queries: ConsoleQueryStore;
  private readonly secure: boolean;
  private readonly assets: Record<string, { type: string; body: string }>;

  constructor(private readonly deps: ConsoleDeps) {
    const { config } = deps;
    this.t = loadConsoleTexts(config.configDir, config.region.language);
    this.sessions = deps.moderation.stores.consoleSessions;
    this.queries = deps.moderation.stores.consoleQueries;
    this.secure = deps.loginLinks.baseUrl.startsWith('https://');
    this.assets = {
      'htmx.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8') },
      'console.css': { type: 'text/css; charset=utf-8', body: CONSOLE_CSS },
      'console.js': { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS },
    };
    this.app = this.routes();
  }

  /** Listen; resolves with the bound address. Ends the sessions of moderators no longer in config first. */
  async start(): Promise<{ host: string; port: number }> {
    const { config, logger, clock } = this.deps;
    const ended = this.sessions.endAllExcept(config.moderators.map(authorKey), clock());
    if (ended > 0) logger.info({ ended }, 'console sessions of moderators no longer in config ended');
    const { host, port } = config.console;
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: this.app.fetch, hostname: host, port }, () => resolve(s));
      s.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new ConfigError(`Cannot listen on ${host}:${port} for the console (${error.code}): set console.port (CONSOLE_PORT) or console.enabled: false.`, {
            cause: error,
          }),
        ),
      );
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.deps.loginLinks.listeningAt(host, address.port);
    logger.info({ host: address.address, port: address.port }, 'console listening');
    return { host: address.address, port: address.port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  }

  private page(c: Context<Env>): PageContext & { moderator: ModeratorConfig; csrf: string } {
    const moderator = c.get('moderator');
    const mine = this.queries.heldBy(authorKey(moderator));
    return { config: this.deps.config, t: this.t, now: this.deps.clock(), moderator, csrf: c.get('csrf'), myCount: mine };
  }

  private anonymous(): PageContext {
    return { config: this.deps.config, t: this.t, now: this.deps.clock() };
  }

  private routes(): Hono<Env> {
    const { config, logger, clock } = this.deps;
    const t = this.t;
    const app = new Hono<Env>();

    app.onError((error, c) => {
      logger.error({ err: error, path: c.req.path }, 'console request failed');
      return c.html(messagePage(this.anonymous(), t('error_title'), t('error_text')), 500);
    });
    app.notFound((c) => c.html(messagePage(this.anonymous(), t('not_found_title'), t('not_found_text')), 404));
    app.use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
        // The sign-in token is in the URL: never let it leave in a Referer.
        referrerPolicy: 'no-referrer',
        strictTransportSecurity: this.secure ? 'max-age=31536000' : false,
      }),
    );
    app.use(bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.text('payload too large', 413) }));
    app.use(async (c, next) => {
      await next();
      if (!c.req.path.startsWith('/assets/') && !c.req.path.startsWith('/open311/')) c.header('Cache-Control', 'no-store');
    });

    app.get('/assets/:name', (c) => {
      const asset = this.assets[c.req.param('name')];
      if (!asset) return c.notFound();
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(asset.body, 200, { 'Content-Type': asset.type });
    });

    if (config.console.open311.enabled) new Open311({ config, queries: this.queries, clock }).mount(app);

    // --- Sign-in: the link shows a button, and only the POST uses the link, so a link preview
    // (a chat fetching the URL to draw a card) cannot spend it.
    app.get('/login', (c) => {
      const token = c.req.query('token') ?? '';
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return c.html(messagePage(this.anonymous(), t('login_title'), t('login_bad')), 400);
      return c.html(loginPage(this.anonymous(), token));
    });
    app.post('/login', async (c) => {
      const form = await c.req.parseBody();
      const token = typeof form.token === 'string' ? form.token : '';
      const now = clock();
      const used = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? this.sessions.consumeLink(token, now) : ({ ok: false, reason: 'unknown' } as const);
      const moderator = used.ok ? config.moderators.find((m) => authorKey(m) === used.moderatorKey) : undefined;
      if (!used.ok || !moderator) {
        const reason = used.ok ? 'removed' : used.reason;
        logger.warn({ reason }, 'console sign-in refused');
        return c.html(messagePage(this.anonymous(), t('login_title'), t(`login_${reason}`)), 403);
      }
      const ttl = config.console.sessionHours * 3_600_000;
      const session = this.sessions.createSession(used.moderatorKey, now, ttl);
      setCookie(c, this.secure ? SECURE_COOKIE : COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: this.secure,
        path: '/',
        maxAge: Math.floor(ttl / 1000),
        expires: new Date(now + ttl),
      });
      logger.info({ moderator: moderator.id, platform: moderator.platform }, 'console sign-in');
      return c.redirect('/incidents', 303);
    });

    // --- Everything below needs a live session of a moderator still in config.
    const signedIn = new Hono<Env>();
    signedIn.use(async (c, next) => {
      const id = getCookie(c, this.secure ? SECURE_COOKIE : COOKIE) ?? '';
      const now = clock();
      const session = id ? this.sessions.session(id, now) : null;
      const moderator = session ? config.moderators.find((m) => authorKey(m) === session.moderatorKey) : undefined;
      if (!session || !moderator) {
        if (session) this.sessions.endSession(id, now);
        return c.html(messagePage(this.anonymous(), t('signed_out_title'), t('signed_out_text')), 401);
      }
      if (c.req.method === 'POST') {
        const form = await c.req.parseBody({ all: true });
        const token = typeof form._csrf === 'string' ? form._csrf : '';
        if (!token || !sameToken(token, session.csrfToken)) {
          logger.warn({ moderator: moderator.id, path: c.req.path }, 'console request without a valid CSRF token: refused');
          return c.html(messagePage(this.anonymous(), t('csrf_title'), t('csrf_text')), 403);
        }
      }
      c.set('moderator', moderator);
      c.set('csrf', session.csrfToken);
      c.set('sessionId', id);
      await next();
    });

    signedIn.get('/', (c) => c.redirect('/incidents', 303));
    signedIn.post('/logout', (c) => {
      this.sessions.endSession(c.get('sessionId'), clock());
      deleteCookie(c, this.secure ? SECURE_COOKIE : COOKIE, { path: '/', secure: this.secure });
      return c.html(messagePage(this.anonymous(), t('logged_out_title'), t('logged_out_text')));
    });

    signedIn.get('/incidents', (c) => {
      const ctx = this.page(c);
      const view = parseIncidentView(new URL(c.req.url).searchParams, ctx.moderator, config);
      const size = config.console.pageSize;
      const result = this.queries.page(view.filter, view.sort, { offset: (view.page - 1) * size, limit: size }, ctx.now);
      return c.html(incidentsPage(ctx, view, result, size));
    });

    signedIn.get('/incidents.csv', (c) => {
      const ctx = this.page(c);
      const view = parseIncidentView(new URL(c.req.url).searchParams, ctx.moderator, config);
      return this.csv(c, `incidents-${localDate(ctx.now, config.region.timezone)}.csv`, consoleCsv(this.queries, view.filter, config, ctx.now));
    });

    signedIn.get('/incidents/:id{[0-9]{1,12}}', (c) => {
      const ctx = this.page(c);
      const found = checkIncident(Number(c.req.param('id')), ctx.moderator, this.deps.moderation);
      if (!found.ok) return c.html(messagePage(ctx, t('refused_title'), found.reply.text), this.exists(Number(c.req.param('id'))) ? 403 : 404);
      return c.html(cardPage(ctx, this.card(found.incident.id)));
    });

    signedIn.post('/incidents/:id{[0-9]{1,12}}/action', async (c) => {
      const ctx = this.page(c);
      const id = Number(c.req.param('id'));
      const form = await c.req.parseBody();
      const input = actionInput(form);
      if (!input) return c.html(messagePage(ctx, t('refused_title'), t('bad_action')), 400);
      const outcome = this.act([id], input, ctx.moderator);
      const result = outcome[0]!;
      if (result.status !== 200) return c.html(messagePage(ctx, t('refused_title'), result.text), result.status);
      return c.html(cardPage(this.page(c), this.card(id), noticeBox(result.ok ? 'ok' : 'error', [result.text])), result.ok ? 200 : 409);
    });

    signedIn.post('/incidents/bulk', async (c) => {
      const ctx = this.page(c);
      const form = await c.req.parseBody({ all: true });
      const input = actionInput(form);
      const view = parseIncidentView(new URLSearchParams(typeof form.view === 'string' ? form.view : ''), ctx.moderator, config);
      const size = config.console.pageSize;
      const page = () => this.queries.page(view.filter, view.sort, { offset: (view.page - 1) * size, limit: size }, clock());
      if (!input) return c.html(incidentsPage(ctx, view, page(), size, noticeBox('error', [t('bad_action')])), 400);
      const picked = ([] as unknown[])
        .concat(form.id ?? [])
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n > 0);
      const max = config.console.bulkMax;
      // One more than allowed tells whether the filter matched more than a run may change.
      const matched = form.scope === 'filter' ? this.queries.ids(view.filter, max + 1, clock()) : [...new Set(picked)].slice(0, max + 1);
      const capped = matched.length > max;
      const ids = matched.slice(0, max);
      if (ids.length === 0) return c.html(incidentsPage(ctx, view, page(), size, noticeBox('error', [t('bulk_none')])), 400);
      const results = this.act(ids, input, ctx.moderator);
      const done = results.filter((r) => r.ok).length;
      const refused = results.filter((r) => !r.ok);
      logger.info({ moderator: ctx.moderator.id, action: input.action, done, refused: refused.length, capped }, 'console bulk action');
      const lines = [
        t('bulk_done', { done, total: ids.length }),
        ...(capped ? [t('bulk_capped', { max })] : []),
        ...refused.slice(0, 20).map((r) => r.text),
        ...(refused.length > 20 ? [t('bulk_more_refused', { count: refused.length - 20 })] : []),
      ];
      return c.html(incidentsPage(this.page(c), view, page(), size, noticeBox(refused.length > 0 || capped ? 'error' : 'ok', lines)));
    });

    signedIn.get('/dashboard', (c) => {
      const ctx = this.page(c);
      const { period, dashboard } = this.dashboard(c, ctx.moderator, ctx.now);
      return c.html(dashboardPage(ctx, period, dashboard));
    });
    signedIn.get('/dashboard.csv', (c) => {
      const ctx = this.page(c);
      const { period, dashboard } = this.dashboard(c, ctx.moderator, ctx.now);
      return this.csv(c, `dashboard-${period.from}-${period.to}.csv`, dashboardCsv(dashboard, config, t));
    });

    app.route('/', signedIn);
    return app;
  }

  private exists(id: number): boolean {
    return this.deps.moderation.stores.incidents.get(id) !== undefined;
  }

  private csv(c: Context<Env>, name: string, body: string): Response {
    return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
  }

  /** The dashboard for the period the URL names (local dates, this month by default) within the moderator's scope. */
  private dashboard(c: Context<Env>, moderator: ModeratorConfig, now: number): { period: DashboardPeriod; dashboard: Dashboard } {
    const { config } = this.deps;
    const tz = config.region.timezone;
    const presets = monthPresets(localDate(now, tz));
    const valid = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : null);
    const from = valid(c.req.query('from')) ?? presets.thisMonth.from;
    const to = valid(c.req.query('to')) ?? presets.thisMonth.to;
    const scope = moderatorScope(moderator);
    const filter = {
      from: zonedTimeToInstant(from, 0, tz),
      to: zonedTimeToInstant(addDays(to, 1), 0, tz),
      ...(scope !== undefined ? { scopeMunicipalityId: scope } : {}),
    };
    const period: DashboardPeriod = {
      from,
      to,
      presets: [
        { label: 'dash_this_month', ...presets.thisMonth },
        { label: 'dash_previous_month', ...presets.previousMonth },
      ],
    };
    const dashboard = collectDashboard(this.queries, filter, {
      timezoneOffsetMinutes: zoneOffsetMs(now, tz) / 60_000,
      now,
      ratingMinVolume: config.console.ratingMinVolume,
    });
    return { period, dashboard };
  }

  private card(id: number) {
    const store = this.deps.moderation.stores.incidents;
    return {
      incident: store.get(id)!,
      events: store.events(id),
      messages: this.queries.threadMessages(id),
      replies: this.queries.botReplies(id),
      spikes: this.queries.spikesOf(id),
    };
  }

  /**
   * One action on each incident, in one transaction (500 answers commit together, then the
   * outbox delivers at the platforms' pace). Each incident is checked like a chat command's:
   * it exists, the moderator may act on it, the action is legal from its status.
   */
  private act(ids: readonly number[], input: ActionInput, moderator: ModeratorConfig): { ok: boolean; text: string; status: 200 | 403 | 404 }[] {
    const deps = this.deps.moderation;
    const results = this.deps.moderation.stores.transaction(() =>
      ids.map((id) => {
        const found = checkIncident(id, moderator, deps);
        if (!found.ok) return { ok: false, text: found.reply.text, status: this.exists(id) ? (403 as const) : (404 as const) };
        const result = carryOutAction(found.incident, input, moderator, deps);
        return { ok: result.ok, text: result.text, status: 200 as const };
      }),
    );
    if (results.some((r) => r.ok)) this.deps.onOutboxChanged();
    return results;
  }
}

/** The action a form asks for, or null when it names none we know. */
function actionInput(form: Record<string, unknown>): ActionInput | null {
  const action = typeof form.action === 'string' ? form.action : '';
  if (!(INCIDENT_ACTIONS as readonly string[]).includes(action)) return null;
  const text = typeof form.text === 'string' ? form.text.replace(/\r\n/g, '\n').trim() : undefined;
  const department = typeof form.department === 'string' ? form.department : undefined;
  const holder = typeof form.holder === 'string' && form.holder !== '' ? form.holder : undefined;
  const topic = typeof form.topic === 'string' ? form.topic : undefined;
  return {
    action: action as IncidentAction,
    ...(text !== undefined ? { text } : {}),
    ...(department !== undefined ? { department } : {}),
    ...(holder ? { holderKey: holder } : {}),
    // The card's select lists each topic's problems beside the topic: a topic chosen there means «no problem».
    ...(topic !== undefined ? { topic, withoutProblem: true } : {}),
  };
}
