import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatorCore, hangRequest } from '../core.js';
import { corruptAnswer, type FaultKind } from '../faults.js';
import { parseRequest, pause, readBody, sendJson, sendText } from '../http/http-util.js';
import { findMaxOperation, MaxApiError } from './max-api.js';
import type { MaxBot, MaxState } from './max-state.js';

/** Longest GET /updates timeout MAX honours (seconds). */
const MAX_POLL_TIMEOUT = 90;

/** MAX's error body for the statuses a fault can give. */
const FAULT_CODES: Readonly<Record<number, string>> = { 429: 'too.many.requests', 503: 'service.unavailable', 500: 'internal.error' };

/**
 * Serves the MAX Bot API under `/max`: the token in `Authorization`, JSON in and out, errors as
 * the HTTP status and `{code, message}`; GET /updates with markers; the upload URLs under
 * `/max-upload/<id>`. Faults (api 'max') are consumed before a request has any effect.
 */
export class MaxRouter {
  constructor(
    private readonly core: EmulatorCore,
    private readonly state: MaxState,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const time = this.core.clock();
    const method = (req.method ?? 'GET').toUpperCase();
    const found = findMaxOperation(method, path);
    const operation = found ? (found.op === 'getUpdates' ? 'getUpdates' : found.op.id) : `${method} ${path}`;
    const token = req.headers.authorization;
    const bot = typeof token === 'string' ? this.state.bots.get(token) : undefined;
    const logBase = { api: 'max' as const, method: operation, time, caller: bot ? `bot:${bot.user.user_id}` : 'unknown' };
    const fail = (error: MaxApiError, outcome: 'error' | 'fault' = 'error'): void => {
      this.core.log.add({ ...logBase, outcome, errorCode: error.status });
      sendJson(res, error.status, { code: error.code, message: error.message });
    };
    const raw = await readBody(req).catch(() => null);
    if (!bot) return fail(new MaxApiError(401, 'verify.token', 'Invalid access_token'));
    if (!found) return fail(new MaxApiError(404, 'not.found', `no method ${method} ${path}`));
    const fault = this.core.faults.take('max', operation);
    if (fault && !('corrupt' in fault)) {
      if (!('delayMs' in fault)) {
        this.core.log.add({ ...logBase, outcome: 'fault', ...('httpStatus' in fault ? { errorCode: fault.httpStatus } : {}) });
        return this.answerFault(res, fault);
      }
      await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
    }
    let body: Record<string, unknown> = {};
    if (raw !== null && raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Record<string, unknown>;
      } catch {
        return fail(new MaxApiError(400, 'proto.payload', 'the body is not a JSON object'));
      }
    }
    try {
      const result =
        found.op === 'getUpdates'
          ? await this.getUpdates(bot, url.searchParams)
          : found.op.run({
              state: this.state,
              bot,
              query: url.searchParams,
              body,
              path: found.params,
              files: [],
              baseUrl: this.core.baseUrl(),
              now: this.core.clock(),
            });
      if (fault && 'corrupt' in fault) {
        this.core.log.add({ ...logBase, outcome: 'fault' });
        return sendJson(res, 200, corruptAnswer(result, fault.corrupt));
      }
      this.core.log.add({ ...logBase, outcome: 'ok' });
      return sendJson(res, 200, result);
    } catch (error) {
      if (error instanceof MaxApiError) return fail(error);
      throw error;
    }
  }

  /** POST /max-upload/<id>: a multipart file (field `data`); answers the photo token to attach. */
  async upload(req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
    const time = this.core.clock();
    const slot = this.state.uploads.get(id);
    const parsed = await parseRequest(req, url);
    const file = parsed.files.find((f) => f.field === 'data');
    if (!slot || !file || file.size === 0) {
      this.core.log.add({ api: 'max', method: 'upload', time, outcome: 'error', errorCode: 400 });
      return sendJson(res, 400, { code: 'upload.invalid', message: slot ? 'no file in field data' : 'unknown upload url' });
    }
    slot.token = `tok${id}`;
    slot.size = file.size;
    this.core.log.add({ api: 'max', method: 'upload', time, outcome: 'ok' });
    return sendJson(res, 200, { photos: { [id]: { token: slot.token } } });
  }

  private answerFault(res: ServerResponse, fault: FaultKind): Promise<void> | void {
    if ('hang' in fault) return hangRequest(this.core, res);
    if ('malformed' in fault) {
      if (fault.malformed === 'shape') return sendJson(res, 200, { unexpected: true });
      return sendText(res, 200, '{"message":{"body":', 'application/json');
    }
    const status = 'httpStatus' in fault ? fault.httpStatus : 503;
    const code = FAULT_CODES[status];
    if (code) return sendJson(res, status, { code, message: status === 429 ? 'Too many requests' : 'Service unavailable' });
    return sendText(res, status, `<html><head><title>${status}</title></head><body><h1>${status}</h1><hr>nginx</body></html>`, 'text/html');
  }

  /**
   * Commits the updates before `marker`, then answers the rest (up to `limit`) with the marker
   * after them; with none and a `timeout`, holds the request until one comes. Refused with 405
   * while the bot has a webhook subscription, as MAX does.
   */
  private async getUpdates(bot: MaxBot, query: URLSearchParams): Promise<{ updates: unknown[]; marker: number }> {
    if (bot.subscriptions.length > 0)
      throw new MaxApiError(405, 'method.not.allowed', 'Long polling is not available while the bot has a webhook subscription');
    const markerRaw = query.get('marker');
    const marker = markerRaw === null || markerRaw === '' ? undefined : Number(markerRaw);
    if (marker !== undefined && !Number.isSafeInteger(marker)) throw new MaxApiError(400, 'proto.payload', 'marker must be an integer');
    if (marker !== undefined) bot.updates = bot.updates.filter((u) => u.seq >= marker);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 100) || 100, 1), 1000);
    const types = query.get('types')?.split(',').filter(Boolean);
    const pick = () => bot.updates.filter((u) => !types || types.includes(String(u.update.update_type))).slice(0, limit);
    const timeout = Math.min(Math.max(Number(query.get('timeout') ?? 30) || 0, 0), MAX_POLL_TIMEOUT);
    if (pick().length === 0 && timeout > 0 && !this.core.signal.aborted) {
      await this.core.polls.hold('max', () => waitFor(bot, () => pick().length > 0, timeout * 1000, this.core.signal));
    }
    const page = pick();
    const next = page.length > 0 ? page[page.length - 1]!.seq + 1 : (marker ?? bot.updates[0]?.seq ?? bot.nextSeq);
    return { updates: page.map((u) => u.update), marker: next };
  }
}

/** Resolves when `ready()` holds after a new update, after `ms`, or when `signal` aborts. */
function waitFor(bot: MaxBot, ready: () => boolean, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      bot.waiters.delete(onUpdate);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const onUpdate = (): void => {
      if (ready()) finish();
    };
    const timer = setTimeout(finish, ms);
    bot.waiters.add(onUpdate);
    signal.addEventListener('abort', finish, { once: true });
  });
}
