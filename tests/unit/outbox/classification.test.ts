import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { APIError } from 'vk-io';
import { classifyTelegramError, isNotModified, wrapTelegramError } from '../../../src/channels/telegram/telegram-errors.js';
import { classifyVkError, MalformedResponseError, wrapVkError } from '../../../src/channels/vk/vk-errors.js';
import { ApiError, HttpError } from '../../../src/errors.js';

const vkApiError = (code: number): APIError => new APIError({ error_code: code, error_msg: `VK error ${code}`, request_params: [] });
const withName = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(Object.assign(new Error(message), { name }), extra);

describe('VK error classification', () => {
  it.each([
    [1, 'retry'],
    [6, 'retry'],
    [9, 'retry'],
    [10, 'retry'],
    [14, 'retry'],
    [29, 'retry'],
    [5, 'fatal'],
    [17, 'fatal'],
    [27, 'fatal'],
    [28, 'fatal'],
    [7, 'reject'],
    [15, 'reject'],
    [18, 'reject'],
    [100, 'reject'],
    [212, 'reject'],
    [213, 'reject'],
    [900, 'reject'],
    [901, 'reject'],
    [902, 'reject'],
    [914, 'reject'],
  ])('should classify VK error %i as %s', (code, kind) => {
    const wrapped = wrapVkError('wall.createComment', vkApiError(code));
    expect(wrapped).toBeInstanceOf(ApiError);
    expect(wrapped).toMatchObject({ platform: 'vk', method: 'wall.createComment', apiCode: code });
    expect(classifyVkError(wrapped).kind).toBe(kind);
  });

  it('should wait long for a daily quota (29)', () => {
    expect(classifyVkError(wrapVkError('wall.get', vkApiError(29)))).toMatchObject({ kind: 'retry', retryAfterMs: 600_000 });
  });

  it.each([
    ['a timeout', withName('AbortError', 'The user aborted a request.'), /timed out/],
    ['a network failure', withName('FetchError', 'request to http://127.0.0.1:1/method/x failed, reason: connect ECONNREFUSED', { type: 'system' }), /network/],
    [
      'an HTML error page',
      withName('FetchError', 'invalid json response body at http://127.0.0.1/method/x reason: Unexpected token <', { type: 'invalid-json' }),
      /malformed/,
    ],
    ['a response of the wrong shape', new MalformedResponseError('execute answered null'), /malformed/],
    [
      'an answer vk-io read blindly',
      new TypeError("Cannot read properties of undefined (reading 'forEach')"),
      /malformed response: the answer could not be read/,
    ],
  ])('should wrap %s as a retryable HttpError', (_, error, message) => {
    const wrapped = wrapVkError('execute', error);
    expect(wrapped).toBeInstanceOf(HttpError);
    expect(wrapped.message).toMatch(message);
    expect(classifyVkError(wrapped)).toEqual({ kind: 'retry' });
  });

  it('should keep tokens out of wrapped messages', () => {
    const wrapped = wrapVkError('x', new Error('failed with access_token=abc123secret and vk1.a.tokenvalue'), ['vk1.a.tokenvalue']);
    expect(wrapped.message).not.toContain('abc123secret');
    expect(wrapped.message).not.toContain('vk1.a.tokenvalue');
  });
});

describe('Telegram error classification', () => {
  const tgError = (code: number, description: string, parameters?: { retry_after?: number }): TelegramError =>
    new TelegramError({ error_code: code, description, ...(parameters ? { parameters } : {}) });

  it.each([
    [429, 'Too Many Requests: retry after 7', 'retry'],
    [409, 'Conflict: terminated by other getUpdates request', 'retry'],
    [500, 'Internal Server Error', 'retry'],
    [502, 'Bad Gateway', 'retry'],
    [401, 'Unauthorized', 'fatal'],
    [404, 'Not Found', 'fatal'],
    [403, 'Forbidden: bot was blocked by the user', 'reject'],
    [403, 'Forbidden: bot was kicked from the group chat', 'reject'],
    [400, 'Bad Request: chat not found', 'reject'],
  ])('should classify Telegram %i (%s) as %s', (code, description, kind) => {
    expect(classifyTelegramError(wrapTelegramError('sendMessage', tgError(code, description))).kind).toBe(kind);
  });

  it('should carry retry_after in milliseconds', () => {
    const wrapped = wrapTelegramError('sendMessage', tgError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    expect(classifyTelegramError(wrapped)).toEqual({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('should recognise an edit that changes nothing', () => {
    const notModified = wrapTelegramError('editMessageText', tgError(400, 'Bad Request: message is not modified: specified new message content …'));
    expect(isNotModified(notModified)).toBe(true);
    expect(isNotModified(wrapTelegramError('editMessageText', tgError(400, 'Bad Request: message to edit not found')))).toBe(false);
  });

  it('should wrap timeouts and network failures as retryable and redact the token from URLs', () => {
    const network = wrapTelegramError(
      'getUpdates',
      withName('FetchError', 'invalid json response body at http://127.0.0.1:9/bot123456:AAsecretTOKEN/getUpdates reason: Unexpected end', {
        type: 'invalid-json',
      }),
    );
    expect(network).toBeInstanceOf(HttpError);
    expect(network.message).not.toContain('AAsecretTOKEN');
    expect(classifyTelegramError(network)).toEqual({ kind: 'retry' });
    expect(classifyTelegramError(wrapTelegramError('getUpdates', withName('TimeoutError', 'The operation was aborted due to timeout')))).toEqual({
      kind: 'retry',
    });
  });
});
