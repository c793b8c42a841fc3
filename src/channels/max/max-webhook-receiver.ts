import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import { MaxHandOver } from './max-hand-over.js';

/** The largest webhook body accepted: a MAX update is a few kilobytes; more is not MAX. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** How each webhook request ended, for the metrics. */
export type WebhookOutcome = 'accepted' | 'skipped' | 'wrong_secret' | 'malformed' | 'too_large' | 'wrong_method' | 'failed';

export interface MaxWebhookReceiverDeps {
  config: Config;
  /** MAX_WEBHOOK_SECRET. */
  secret: string;
  sink: InboundSink;
  logger: Logger;
  clock: () => number;
  /** Told how each request ended (metrics). */
  onOutcome?: (outcome: WebhookOutcome) => void;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Receives MAX's webhook requests on the ops HTTP server (`max.webhook.path`, behind the HTTPS
 * reverse proxy). MAX retries a delivery until it gets a 200, for up to 8 hours, so:
 * - 200 only after the update is committed to SQLite (the sink's transaction returned); a crash
 *   before that leaves the request unanswered, MAX sends it again, and the mid dedupes it;
 * - a wrong or missing `X-Max-Bot-Api-Secret` (compared in constant time) gets 401, a body over
 *   1 MB 413, a body that is not a JSON update 400, any method but POST 405: refused, logged,
 *   nothing recorded;
 * - an update of a type the bot does not read, or from a chat it does not watch, is a logged skip
 *   answered 200 (a retry could not change it);
 * - the sink failing (the database) gets 500, and MAX retries.
 */
export class MaxWebhookReceiver {
  private readonly handOver: MaxHandOver;
  private readonly secretDigest: Buffer;

  constructor(private readonly deps: MaxWebhookReceiverDeps) {
    this.handOver = new MaxHandOver(deps);
    this.secretDigest = digest(deps.secret);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const log = this.deps.logger;
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return this.refuse(req, res, 405, 'wrong_method', 'method not allowed');
    }
    if (!this.secretMatches(req.headers['x-max-bot-api-secret'])) {
      log.warn({ ip: req.socket.remoteAddress }, 'MAX webhook request with a wrong or missing secret: refused');
      return this.refuse(req, res, 401, 'wrong_secret', 'wrong secret');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_WEBHOOK_BODY_BYTES) return this.tooLarge(req, res);
    const body = await readCapped(req, MAX_WEBHOOK_BODY_BYTES);
    if (body === null) return this.tooLarge(req, res);
    let update: unknown;
    try {
      update = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn({ bytes: body.length }, 'MAX webhook body is not JSON: refused');
      return this.refuse(req, res, 400, 'malformed', 'body is not JSON');
    }
    if (typeof update !== 'object' || update === null || Array.isArray(update) || typeof (update as { update_type?: unknown }).update_type !== 'string') {
      log.warn('MAX webhook body is not an update (no update_type): refused');
      return this.refuse(req, res, 400, 'malformed', 'not an update');
    }
    let outcome: ReturnType<typeof this.handOver.deliver>;
    try {
      outcome = this.handOver.deliver([update]);
    } catch (error) {
      log.error({ err: error }, 'MAX webhook update could not be recorded; MAX will send it again');
      return this.refuse(req, res, 500, 'failed', 'not recorded, try again');
    }
    this.deps.onOutcome?.(outcome.skipped > 0 ? 'skipped' : 'accepted');
    reply(res, 200, 'ok');
  }

  private secretMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    // Digests of equal length: timingSafeEqual then takes the same time whatever the header's length or content.
    return timingSafeEqual(digest(header), this.secretDigest);
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.deps.logger.warn({ limit: MAX_WEBHOOK_BODY_BYTES }, 'MAX webhook body over the limit: refused');
    res.setHeader('connection', 'close');
    // The connection goes once the refusal is written, so the rest of the body is never read.
    res.once('finish', () => req.destroy());
    this.refuse(req, res, 413, 'too_large', 'body too large');
  }

  private refuse(req: IncomingMessage, res: ServerResponse, status: number, outcome: WebhookOutcome, text: string): void {
    this.deps.onOutcome?.(outcome);
    reply(res, status, text);
    // Whatever the client still sends is drained, not read into memory.
    req.resume();
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) + 1 });
  res.end(`${text}\n`);
}

/**
 * The body, or null as soon as it passes `limit` bytes: the rest is drained unread (the 413 can
 * still be written on the open connection, which is closed after it).
 */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume();
      resolve(null);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}
