import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelStatus } from '../channels/channel-status.js';
import { ConfigError } from '../errors.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { Metrics } from './metrics.js';

export interface OpsHttpServerDeps {
  /** config.http: where to listen. Port 0 picks a free port (tests). */
  host: string;
  port: number;
  status: ChannelStatus;
  metrics: Metrics;
  outbox: OutboxStore;
  scheduler?: JobScheduler;
  logger: Logger;
  /** More POST endpoints by exact path (the MAX webhook receiver at `max.webhook.path`). */
  receivers?: ReadonlyMap<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
}

/** The body of `/healthz`. */
export interface HealthReport {
  /** ok: every channel runs (or is starting); degraded: one is failing or stopped on an error. */
  status: 'ok' | 'degraded';
  channels: {
    channel: string;
    state: string;
    lastSuccessAt: string | null;
    lastError: string | null;
    since: string;
  }[];
  outbox: { pending: number; dead: number; oldestPendingAt: string | null };
  jobs: Record<string, { runs: number; failures: number; skipped: number; lastError: string | null; nextRunAt: string | null }>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The operators' HTTP endpoint (config.http): `GET /healthz` answers 200 with each channel's
 * state while all are healthy and 503 when one is degraded or stopped on an error (a revoked
 * token), so a load balancer or systemd watchdog script can act on the status code alone;
 * `GET /metrics` is the Prometheus exposition; a receiver (the MAX webhook) answers its own path.
 * Nothing else is served. Bind it to 127.0.0.1 (the default) or a private interface and let the
 * reverse proxy forward only the webhook path: /healthz shows channel errors, which are free of
 * tokens but not meant for the public.
 */
export class OpsHttpServer {
  private server: Server | null = null;

  constructor(private readonly deps: OpsHttpServerDeps) {}

  /** Listen; resolves with the bound address (the real port when config asked for 0). */
  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.deps.logger.error({ err: error, url: req.url }, 'ops endpoint failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    });
    // Scrapers keep connections open; let stop() close idle ones at once.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const where = `${this.deps.host}:${this.deps.port}`;
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
          reject(
            new ConfigError(
              `Cannot listen on ${where} for /healthz and /metrics (${error.code}): is another Otklik running? Set http.port (HTTP_PORT) or http.enabled: false.`,
              { cause: error },
            ),
          );
        } else reject(error);
      });
      server.listen(this.deps.port, this.deps.host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.deps.logger.info({ host: address.address, port: address.port }, 'ops endpoint listening (/healthz, /metrics)');
    return { host: address.address, port: address.port };
  }

  /** Stop listening and close open connections. Idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The health report (also for tests and the CLI). */
  health(): { code: 200 | 503; report: HealthReport } {
    const { status, outbox, scheduler } = this.deps;
    const backlog = outbox.backlog();
    const healthy = status.healthy();
    const jobs: HealthReport['jobs'] = {};
    for (const [name, s] of Object.entries(scheduler?.stats() ?? {})) {
      const next = scheduler?.nextRuns(name, 1)[0];
      jobs[name] = { runs: s.runs, failures: s.failures, skipped: s.skipped, lastError: s.lastError, nextRunAt: next ? next.toISOString() : null };
    }
    const report: HealthReport = {
      status: healthy ? 'ok' : 'degraded',
      channels: status
        .list()
        .map((e) => ({ channel: e.channel, state: e.state, lastSuccessAt: iso(e.lastSuccessAt), lastError: e.lastError, since: iso(e.since)! })),
      outbox: { pending: backlog.pending, dead: backlog.dead, oldestPendingAt: iso(backlog.oldestPendingAt) },
      jobs,
    };
    return { code: healthy ? 200 : 503, report };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const receiver = this.deps.receivers?.get(path);
    if (receiver) return receiver(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (path === '/healthz') {
      const { code, report } = this.health();
      return send(res, code, 'application/json; charset=utf-8', `${JSON.stringify(report, null, 2)}\n`, req.method === 'HEAD');
    }
    if (path === '/metrics') {
      const body = await this.deps.metrics.render();
      return send(res, 200, this.deps.metrics.contentType, body, req.method === 'HEAD');
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n');
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(headOnly ? undefined : body);
}
