import { ApiError, type FailureClass, HttpError, redactSecrets } from '../../errors.js';

/** The answer of a call was not what the MAX Bot API promises (not JSON, or a required field missing). */
export class MalformedMaxResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMaxResponseError';
  }
}

/**
 * Whatever a MAX call threw, in our taxonomy, once, at the edge: an answer with MAX's error body
 * `{code, message}` is an ApiError with the HTTP status as its code and `code: message` as its
 * description; a 5xx without that body (a proxy's page) is an HttpError; a timeout or an
 * unreadable answer is an HttpError whose outcome is unknown (the request may have had its
 * effect). Messages pass through redaction: they never carry the token.
 */
export function wrapMaxError(method: string, error: unknown, secrets: readonly string[] = []): ApiError | HttpError {
  if (error instanceof ApiError || error instanceof HttpError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  if (name === 'AbortError' || name === 'TimeoutError') return new HttpError('max', method, `timed out: ${message}`, { cause: error, outcomeUnknown: true });
  if (error instanceof MalformedMaxResponseError || error instanceof SyntaxError) {
    return new HttpError('max', method, `malformed response: ${message}`, { cause: error, outcomeUnknown: true });
  }
  return new HttpError('max', method, `network: ${message}`, { cause: error });
}

/** A non-2xx answer: MAX's `{code, message}` as an ApiError, anything else (a 502 page) as an HttpError. */
export function maxAnswerError(method: string, status: number, body: unknown, secrets: readonly string[] = []): ApiError | HttpError {
  const fields = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : {};
  if (typeof fields.code === 'string' || typeof fields.message === 'string') {
    const description = redactSecrets(`${String(fields.code ?? 'error')}: ${String(fields.message ?? '')}`.slice(0, 300), secrets);
    return new ApiError('max', method, status, description);
  }
  return new HttpError('max', method, `HTTP ${status}`, { status });
}

/**
 * Every MAX failure, once:
 * - 429 (MAX says no wait): retry after a second, platform-wide; 5xx (503), network, timeouts: retry;
 * - 401 (the token is wrong or revoked): fatal;
 * - 400, 403 (no access to the chat), 404, 405 and the rest: reject this request only.
 */
export function classifyMaxError(error: ApiError | HttpError): FailureClass {
  if (error instanceof HttpError) return { kind: 'retry' };
  const code = error.apiCode;
  if (code === 429) return { kind: 'retry', retryAfterMs: 1000 };
  if (code >= 500) return { kind: 'retry' };
  if (code === 401) return { kind: 'fatal' };
  return { kind: 'reject' };
}
