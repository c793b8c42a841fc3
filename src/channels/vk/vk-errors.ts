import { APIError } from 'vk-io';
import { ApiError, type FailureClass, HttpError, redactSecrets } from '../../errors.js';

/**
 * VK error codes a later attempt can get past (VK's errors.json):
 * 1 unknown, 6 too many requests, 9 flood control, 10 internal, 14 captcha (no one solves it; wait),
 * 29 rate limit reached (the method's daily quota), 223 too many replies (flood on a post).
 */
const RETRY_CODES = new Set([1, 6, 9, 10, 14, 29, 223]);
/**
 * VK error codes that mean the token cannot work at all: stop the channel and tell a person.
 * 5 auth failed (revoked or expired), 17 validation required, 27 / 28 wrong token type for
 * the method (a configuration mistake), 1116 invalid anonymous token.
 */
const FATAL_CODES = new Set([5, 17, 27, 28, 1116]);
/** What V8 says when code reads a field of a value that is not there: vk-io meeting an answer it did not expect. */
const VK_IO_READ_FAILURE = /^Cannot read properties of (?:undefined|null)|is not (?:a function|iterable)\b/;
/** How long a daily quota (29) or a captcha (14) keeps us away, at least. */
const LONG_WAIT_MS = 10 * 60_000;

/** The request could not be understood: not JSON, or JSON of a shape we cannot use. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/**
 * Turn whatever vk-io (or node-fetch under it) threw into our taxonomy, once, at the adapter edge.
 * Everything else (the poller, the outbox) sees only `ApiError` and `HttpError`.
 * `secrets` are removed from messages: node-fetch puts the URL into some of them.
 */
export function wrapVkError(method: string, error: unknown, secrets: readonly string[] = []): ApiError | HttpError {
  if (error instanceof ApiError || error instanceof HttpError) return error;
  if (error instanceof APIError) {
    return new ApiError('vk', method, Number(error.code), redactSecrets(String(error.message), secrets), { cause: error });
  }
  const name = error instanceof Error ? error.name : '';
  const raw = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const type = (error as { type?: unknown } | null)?.type;
  if (name === 'AbortError' || type === 'aborted' || type === 'request-timeout') {
    return new HttpError('vk', method, `timed out: ${raw}`, { cause: error });
  }
  // vk-io reads an answer of an unexpected shape (an execute without `response`) without checking
  // it and throws a TypeError ("Cannot read properties of undefined"): the request went through, its answer is unusable.
  if (error instanceof TypeError && VK_IO_READ_FAILURE.test(raw)) {
    return new HttpError('vk', method, `malformed response: the answer could not be read (${raw})`, { cause: error });
  }
  if (error instanceof MalformedResponseError || type === 'invalid-json' || error instanceof SyntaxError) {
    // An HTML error page (502 from a proxy) lands here too: node-fetch cannot parse it as JSON.
    return new HttpError('vk', method, `malformed response: ${raw}`, { cause: error });
  }
  return new HttpError('vk', method, `network: ${raw}`, { cause: error });
}

/** Every VK failure, once: retry, reject (this request only), or fatal (the token). */
export function classifyVkError(error: ApiError | HttpError): FailureClass {
  if (error instanceof HttpError) return { kind: 'retry' };
  if (FATAL_CODES.has(error.apiCode)) return { kind: 'fatal' };
  if (error.apiCode === 29 || error.apiCode === 14) return { kind: 'retry', retryAfterMs: LONG_WAIT_MS };
  if (RETRY_CODES.has(error.apiCode)) return { kind: 'retry' };
  // 7 permission, 15 access denied, 18 user deleted, 100 bad parameters, 212/213 comments closed,
  // 900/901/902 the person does not accept messages, 914 too long, and every other code.
  return { kind: 'reject' };
}
