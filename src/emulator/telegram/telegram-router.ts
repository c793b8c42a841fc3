import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatorCore, hangRequest } from '../core.js';
import { corruptAnswer, type FaultKind } from '../faults.js';
import { parseRequest, pause, readInt, readObject, sendJson, sendText } from '../http/http-util.js';
import { TELEGRAM_METHODS, TgApiError } from './telegram-api.js';
import type { TelegramState, TgBot, TgUpdate } from './telegram-state.js';

/** Longest getUpdates timeout Telegram honours (seconds). */
const MAX_POLL_TIMEOUT = 50;

/**
 * Serves `/bot<token>/<method>`: `{ok: true, result}` or `{ok: false, error_code,
 * description, parameters}` with the matching HTTP status, as the Bot API does.
 */
export class TelegramRouter {
  constructor(
    private readonly core: EmulatorCore,
    private readonly state: TelegramState,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, token: string, method: string): Promise<void> {
    const time = this.core.clock();
    const parsed = await parseRequest(req, url);
    const bot = this.state.bots.get(token);
    const logBase = { api: 'telegram' as const, method, time, caller: bot ? `bot:${bot.user.id}` : 'unknown' };
    const fail = (error: TgApiError, outcome: 'error' | 'fault' = 'error'): void => {
      this.core.log.add({ ...logBase, outcome, errorCode: error.code });
      sendJson(res, error.code, {
        ok: false,
        error_code: error.code,
        description: error.description,
        ...(error.parameters ? { parameters: error.parameters } : {}),
      });
    };

    if (!bot) return fail(new TgApiError(401, 'Unauthorized'));
    const fault = this.core.faults.take('telegram', method);
    if (fault && 'dropUpdatesOlderThanSeconds' in fault) {
      this.state.dropUpdatesQueuedBefore(bot, this.core.clock() - fault.dropUpdatesOlderThanSeconds * 1000);
    } else if (fault && !('corrupt' in fault)) {
      if (!('delayMs' in fault)) {
        this.core.log.add({ ...logBase, outcome: 'fault', ...faultCode(fault) });
        return this.answerFault(res, fault);
      }
      await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
    }
    if (parsed.bodyError) return fail(new TgApiError(400, `Bad Request: can't parse request body: ${parsed.bodyError}`));

    try {
      let result: unknown;
      if (method === 'getUpdates') {
        result = await this.getUpdates(bot, parsed.params);
      } else {
        const run = TELEGRAM_METHODS[method] ?? TELEGRAM_METHODS[Object.keys(TELEGRAM_METHODS).find((m) => m.toLowerCase() === method.toLowerCase()) ?? ''];
        if (!run) throw new TgApiError(404, 'Not Found');
        result = run({ state: this.state, bot, files: parsed.files }, parsed.params);
      }
      if (fault && 'corrupt' in fault) {
        this.core.log.add({ ...logBase, outcome: 'fault' });
        return sendJson(res, 200, { ok: true, result: corruptAnswer(result, fault.corrupt) });
      }
      if (fault && 'dropUpdatesOlderThanSeconds' in fault) {
        this.core.log.add({ ...logBase, outcome: 'fault' });
        return sendJson(res, 200, { ok: true, result });
      }
      this.core.log.add({ ...logBase, outcome: 'ok' });
      return sendJson(res, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof TgApiError) return fail(error);
      throw error;
    }
  }

  /**
   * `GET /file/bot<token>/<file_path>`: the bytes of a file getFile described, as Telegram serves
   * them (404 for an unknown path or token; faults of `api: 'telegram'`, method `file`, apply).
   */
  async handleFile(req: IncomingMessage, res: ServerResponse, token: string, path: string): Promise<void> {
    req.resume();
    const bot = this.state.bots.get(token);
    const logBase = { api: 'telegram' as const, method: 'file', time: this.core.clock(), caller: bot ? `bot:${bot.user.id}` : 'unknown' };
    const fault = this.core.faults.take('telegram', 'file');
    if (fault && !('corrupt' in fault) && !('dropUpdatesOlderThanSeconds' in fault)) {
      if (!('delayMs' in fault)) {
        this.core.log.add({ ...logBase, outcome: 'fault', ...faultCode(fault) });
        return this.answerFault(res, fault);
      }
      await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
    }
    const file = bot ? this.state.files.byFilePath(path) : undefined;
    if (!file) {
      this.core.log.add({ ...logBase, outcome: 'error', errorCode: 404 });
      return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    this.core.log.add({ ...logBase, outcome: 'ok' });
    const bytes = this.state.files.bytes(file);
    res.writeHead(200, { 'content-type': file.mime, 'content-length': bytes.length });
    res.end(bytes);
  }

  private answerFault(res: ServerResponse, fault: FaultKind): Promise<void> | void {
    if ('hang' in fault) return hangRequest(this.core, res);
    if ('telegram429' in fault) {
      return sendJson(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.telegram429}`,
        parameters: { retry_after: fault.telegram429 },
      });
    }
    if ('malformed' in fault) {
      if (fault.malformed === 'shape') return sendJson(res, 200, { ok: true });
      return sendText(res, 200, '{"ok":true,"result":{"message_id":', 'application/json');
    }
    const status = 'httpStatus' in fault ? fault.httpStatus : 500;
    if (status >= 500) {
      return sendText(res, status, `<html><head><title>${status}</title></head><body><h1>${status}</h1><hr>nginx</body></html>`, 'text/html');
    }
    return sendJson(res, status, { ok: false, error_code: status, description: `Error ${status}` });
  }

  /**
   * Confirms updates below `offset`, then answers the pending ones; with none
   * pending and a `timeout`, holds the request until an update arrives. A newer
   * getUpdates for the same bot ends the waiting one with 409, as Telegram does.
   */
  private async getUpdates(bot: TgBot, params: Record<string, unknown>): Promise<TgUpdate[]> {
    const offset = readInt(params, 'offset');
    if (offset !== undefined && !Number.isNaN(offset)) this.state.confirmUpdates(bot, offset);
    const limit = Math.max(1, Math.min(readInt(params, 'limit') ?? 100, 100));
    const allowed = readObject(params, 'allowed_updates');
    const pick = (): TgUpdate[] =>
      bot.updates.filter((u) => !Array.isArray(allowed) || allowed.length === 0 || Object.keys(u).some((k) => allowed.includes(k))).slice(0, limit);
    const timeout = Math.min(Math.max(readInt(params, 'timeout') ?? 0, 0), MAX_POLL_TIMEOUT);
    bot.cancelPoll?.();
    if (pick().length > 0 || timeout === 0 || this.core.signal.aborted) return pick();
    const superseded = await new Promise<boolean>((resolve) => {
      const finish = (wasSuperseded: boolean): void => {
        clearTimeout(timer);
        bot.waiters.delete(onUpdate);
        this.core.signal.removeEventListener('abort', onAbort);
        if (bot.cancelPoll === onCancel) delete bot.cancelPoll;
        resolve(wasSuperseded);
      };
      const onUpdate = (): void => {
        if (pick().length > 0) finish(false);
      };
      const onAbort = (): void => finish(false);
      const onCancel = (): void => finish(true);
      const timer = setTimeout(() => finish(false), timeout * 1000);
      bot.waiters.add(onUpdate);
      bot.cancelPoll = onCancel;
      this.core.signal.addEventListener('abort', onAbort, { once: true });
      this.core.polls.enter('telegram');
    });
    this.core.polls.leave('telegram');
    if (superseded) {
      throw new TgApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    }
    return pick();
  }
}

function faultCode(fault: FaultKind): { errorCode?: number } {
  if ('telegram429' in fault) return { errorCode: 429 };
  if ('httpStatus' in fault) return { errorCode: fault.httpStatus };
  return {};
}
