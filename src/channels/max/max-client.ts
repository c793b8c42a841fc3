import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ApiObserver, apiErrorLabel } from '../api-observer.js';
import { MalformedMaxResponseError, maxAnswerError, wrapMaxError } from './max-errors.js';

export type MaxQuery = Record<string, string | number | boolean | null | undefined>;

export interface MaxCallOptions {
  query?: MaxQuery;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Replaces the read timeout (sends use `sendTimeoutMs`). */
  timeoutMs?: number;
  /** Added to the timeout (the long poll's wait). */
  extraTimeoutMs?: number;
}

export interface MaxClientOptions {
  /** The API root, e.g. https://platform-api2.max.ru, or the emulator's `maxApiBaseUrl`. */
  baseUrl: string;
  token: string;
  /** Timeout of a read; default 15 000. */
  requestTimeoutMs?: number;
  /** Timeout of a send (messages, comments, edits, uploads); default 60 000. */
  sendTimeoutMs?: number;
  /** Told about every call (metrics). */
  observer?: ApiObserver;
  /** Values to keep out of error messages besides the token. */
  secrets?: readonly string[];
}

/**
 * A thin typed client of the MAX Bot API over fetch (schema v0.0.33): the token in the
 * `Authorization` header (no `Bearer`), JSON in and out, a timeout on every call, and only our
 * ApiError / HttpError thrown, free of the token. The official `@maxhub/max-bot-api` is not used:
 * see README → MAX (its webhook answers 200 before the update is handled, without a body limit;
 * its comment edit builds a wrong path; it has no per-call timeout).
 */
export class MaxClient {
  private readonly secrets: string[];

  constructor(private readonly options: MaxClientOptions) {
    this.secrets = [options.token, ...(options.secrets ?? [])];
  }

  /** `operation` names the call in logs and metrics (the schema's operationId: sendMessage, getUpdates…). */
  async call<T>(operation: string, httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: MaxCallOptions = {}): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [key, value] of Object.entries(opts.query ?? {})) if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    const init: RequestInit = { method: httpMethod, headers: { authorization: this.options.token } };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    return this.request<T>(operation, url, init, opts);
  }

  /** A call that posts or changes something: the longer send timeout. */
  send<T>(operation: string, httpMethod: 'POST' | 'PUT', path: string, opts: Omit<MaxCallOptions, 'timeoutMs'> = {}): Promise<T> {
    return this.call<T>(operation, httpMethod, path, { ...opts, timeoutMs: this.options.sendTimeoutMs ?? 60_000 });
  }

  /** Uploads a file to the URL POST /uploads gave (multipart, field `data`) and returns MAX's answer (the attachment payload). */
  async uploadFile(uploadUrl: string, path: string): Promise<unknown> {
    const form = new FormData();
    form.set('data', new Blob([await readFile(path)]), basename(path));
    return this.request('upload', new URL(uploadUrl), { method: 'POST', body: form }, { timeoutMs: this.options.sendTimeoutMs ?? 60_000 });
  }

  private async request<T>(operation: string, url: URL, init: RequestInit, opts: MaxCallOptions): Promise<T> {
    const timeout = AbortSignal.timeout((opts.timeoutMs ?? this.options.requestTimeoutMs ?? 15_000) + (opts.extraTimeoutMs ?? 0));
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    const observe = (error: unknown): void =>
      this.options.observer?.apiCall({
        platform: 'max',
        method: operation,
        durationMs: performance.now() - started,
        error: error === null ? null : apiErrorLabel('max', error),
      });
    try {
      const res = await fetch(url, { ...init, signal });
      const text = await res.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (!res.ok) throw maxAnswerError(operation, res.status, body, this.secrets);
      if (body === undefined || typeof body !== 'object' || body === null)
        throw new MalformedMaxResponseError(`${operation} answered ${text === '' ? 'nothing' : 'no JSON object'}`);
      observe(null);
      return body as T;
    } catch (error) {
      const wrapped = wrapMaxError(operation, error, this.secrets);
      observe(wrapped);
      throw wrapped;
    }
  }
}
