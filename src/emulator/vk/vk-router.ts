import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatorCore, hangRequest } from '../core.js';
import { corruptAnswer, type FaultKind } from '../faults.js';
import { parseRequest, pause, readInt, readString, sendJson, sendText } from '../http/http-util.js';
import { checkTokenType, runVkMethod, VK_ERROR_MESSAGES, VK_EXECUTE_TOKEN_TYPES, type VkCallContext, vkError } from './vk-api.js';
import { countCalls, evaluateVkScript, MAX_EXECUTE_CALLS, parseVkScript } from './vk-execute.js';
import type { VkLongPoll } from './vk-long-poll.js';
import { VkApiError, type VkCaller, type VkState } from './vk-state.js';

/** A fault that replaces the whole HTTP answer (raised from inside execute too). */
class HttpFault extends Error {
  constructor(readonly kind: FaultKind) {
    super('http fault');
  }
}

function callerLabel(caller: VkCaller | undefined): string {
  if (!caller) return 'unknown';
  if (caller.type === 'group') return `group:${caller.groupId}`;
  if (caller.type === 'user') return `user:${caller.userId}`;
  return 'service';
}

function requestParams(method: string, params: Record<string, unknown>): { key: string; value: string }[] {
  const out = [
    { key: 'method', value: method },
    { key: 'oauth', value: '1' },
  ];
  for (const [key, value] of Object.entries(params)) {
    if (key === 'access_token') continue;
    out.push({ key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  return out;
}

/**
 * Serves `/method/<name>` (the VK API) and `/vk-lp/<groupId>` (Bots Long Poll).
 * Every answer is HTTP 200 with `{response}` or `{error}`, as VK does, unless a
 * fault asks for a bare HTTP status.
 */
export class VkRouter {
  constructor(
    private readonly core: EmulatorCore,
    private readonly state: VkState,
    private readonly longPoll: VkLongPoll,
  ) {}

  /** `GET /vk-files/<name>`: a citizen's photo or document, as VK's CDN serves it (no token); 404 for an unknown name. */
  handleFile(req: IncomingMessage, res: ServerResponse, name: string): void {
    req.resume();
    const file = this.state.media.bytes(name);
    this.core.log.add({
      api: 'vk',
      method: 'file',
      time: this.core.clock(),
      caller: 'cdn',
      outcome: file ? 'ok' : 'error',
      ...(file ? {} : { errorCode: 404 }),
    });
    if (!file) return sendText(res, 404, 'Not Found');
    res.writeHead(200, { 'content-type': file.mime, 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  async handleMethod(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const time = this.core.clock();
    const { params } = await parseRequest(req, url);
    const token = readString(params, 'access_token');
    const caller = token !== undefined ? this.state.tokens.get(token) : undefined;
    const logBase = { api: 'vk' as const, method, time, caller: callerLabel(caller) };

    const fault = this.core.faults.take('vk', method);
    if (fault && !('corrupt' in fault)) {
      if (!('delayMs' in fault)) {
        this.core.log.add({ ...logBase, outcome: 'fault', ...('vkError' in fault ? { errorCode: fault.vkError } : {}) });
        return this.answerFault(res, method, params, fault);
      }
      await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
    }

    try {
      if (token === undefined || token === '') throw vkError(5, 'User authorization failed: no access_token passed.');
      if (!caller) throw vkError(5);
      if (readString(params, 'v') === undefined) throw vkError(8);
      if (!this.core.vkRateLimit.allow(token)) throw vkError(6);
      const ctx: VkCallContext = { state: this.state, longPoll: this.longPoll, caller, baseUrl: this.core.baseUrl() };
      if (method === 'execute') {
        const result = await this.execute(ctx, params);
        this.core.log.add({ ...logBase, outcome: 'ok' });
        return sendJson(res, 200, result);
      }
      const response = runVkMethod(ctx, method, params);
      if (fault && 'corrupt' in fault) {
        this.core.log.add({ ...logBase, outcome: 'fault' });
        return sendJson(res, 200, { response: corruptAnswer(response, fault.corrupt) });
      }
      this.core.log.add({ ...logBase, outcome: 'ok' });
      return sendJson(res, 200, { response });
    } catch (error) {
      if (error instanceof HttpFault) {
        this.core.log.add({ ...logBase, outcome: 'fault' });
        return this.answerFault(res, method, params, error.kind);
      }
      if (!(error instanceof VkApiError)) throw error;
      this.core.log.add({ ...logBase, outcome: 'error', errorCode: error.code });
      return sendJson(res, 200, {
        error: { error_code: error.code, error_msg: error.message, request_params: requestParams(method, params) },
      });
    }
  }

  private answerFault(res: ServerResponse, method: string, params: Record<string, unknown>, fault: FaultKind): Promise<void> | void {
    if ('hang' in fault) return hangRequest(this.core, res);
    if ('vkError' in fault) {
      const code = fault.vkError;
      return sendJson(res, 200, {
        error: { error_code: code, error_msg: VK_ERROR_MESSAGES[code] ?? `Error ${code}`, request_params: requestParams(method, params) },
      });
    }
    if ('malformed' in fault) {
      if (fault.malformed === 'shape') return sendJson(res, 200, { result: 'unexpected', items: null });
      return sendText(res, 200, '{"response": {"count": 1, "items": [', 'application/json');
    }
    const status = 'httpStatus' in fault ? fault.httpStatus : 'telegram429' in fault ? 429 : 500;
    return sendText(res, status, `<html><head><title>${status}</title></head><body><h1>${status}</h1><hr>nginx</body></html>`, 'text/html');
  }

  /**
   * Runs an execute body. A call that fails puts `false` in its place and an entry in
   * `execute_errors`; error 6 (too many requests) fails the whole execute, as on VK.
   * Faults injected for an inner method apply to that call.
   */
  private async execute(ctx: VkCallContext, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    checkTokenType(ctx.caller, VK_EXECUTE_TOKEN_TYPES);
    const code = readString(params, 'code');
    if (code === undefined || code.trim() === '') throw vkError(100, `${VK_ERROR_MESSAGES[100]}: code is undefined`);
    const program = parseVkScript(code);
    if (countCalls(program) > MAX_EXECUTE_CALLS) {
      throw vkError(13, `${VK_ERROR_MESSAGES[13]}: too many API calls (more than ${MAX_EXECUTE_CALLS})`);
    }
    const errors: { method: string; error_code: number; error_msg: string }[] = [];
    const response = await evaluateVkScript(program, async (method, args) => {
      const entry = { api: 'vk' as const, method, time: this.core.clock(), caller: callerLabel(ctx.caller), insideExecute: true };
      const fault = this.core.faults.take('vk', method, true);
      try {
        if (fault && 'delayMs' in fault) await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
        else if (fault && 'vkError' in fault) throw vkError(fault.vkError);
        else if (fault && !('corrupt' in fault)) throw new HttpFault(fault);
        if (method === 'execute') throw vkError(3);
        const result = runVkMethod(ctx, method, args);
        if (fault && 'corrupt' in fault) {
          this.core.log.add({ ...entry, outcome: 'fault' });
          return corruptAnswer(result, fault.corrupt);
        }
        this.core.log.add({ ...entry, outcome: 'ok' });
        return result;
      } catch (error) {
        // A fault that replaces the whole answer is still logged against the call that raised it.
        if (error instanceof HttpFault) this.core.log.add({ ...entry, outcome: 'fault' });
        if (!(error instanceof VkApiError)) throw error;
        this.core.log.add({ ...entry, outcome: fault ? 'fault' : 'error', errorCode: error.code });
        if (error.code === 6) throw error;
        errors.push({ method, error_code: error.code, error_msg: error.message });
        return false;
      }
    });
    return errors.length > 0 ? { response, execute_errors: errors } : { response };
  }

  async handleLongPoll(req: IncomingMessage, res: ServerResponse, url: URL, groupId: number): Promise<void> {
    const time = this.core.clock();
    const { params } = await parseRequest(req, url);
    const entry = { api: 'vk_lp' as const, method: 'a_check', time, caller: `group:${groupId}` };
    if (readString(params, 'act') !== 'a_check') {
      this.core.log.add({ ...entry, outcome: 'error', errorCode: 400 });
      return sendText(res, 400, 'unknown act');
    }
    const fault = this.core.faults.take('vk_lp', 'a_check');
    if (fault && 'longPollFailed' in fault) {
      this.core.log.add({ ...entry, outcome: 'fault' });
      return sendJson(res, 200, this.longPoll.loseHistory(groupId, fault.longPollFailed));
    }
    if (fault && !('corrupt' in fault)) {
      if (!('delayMs' in fault)) {
        this.core.log.add({ ...entry, outcome: 'fault', ...('httpStatus' in fault ? { errorCode: fault.httpStatus } : {}) });
        return this.answerFault(res, 'a_check', params, fault);
      }
      await this.core.polls.hold('delayed', () => pause(fault.delayMs, this.core.signal));
    }
    const answer = await this.longPoll.check(
      groupId,
      readString(params, 'key') ?? '',
      readInt(params, 'ts') ?? Number.NaN,
      readInt(params, 'wait') ?? 25,
      this.core.signal,
      (held) => (held ? this.core.polls.enter('vk_lp') : this.core.polls.leave('vk_lp')),
    );
    if (fault && 'corrupt' in fault) {
      this.core.log.add({ ...entry, outcome: 'fault' });
      return sendJson(res, 200, corruptAnswer(answer, fault.corrupt));
    }
    this.core.log.add({ ...entry, outcome: 'failed' in answer ? 'error' : 'ok' });
    return sendJson(res, 200, answer);
  }
}
