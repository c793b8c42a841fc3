import http from 'node:http';
import https from 'node:https';
import { Telegram } from 'telegraf';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import { type ApiObserver, apiErrorLabel } from '../api-observer.js';
import { MalformedTelegramResponseError, wrapTelegramError } from './telegram-errors.js';

/**
 * telegraf's Telegram client pointed at `config.telegram.apiRoot` (the emulator in tests),
 * with a keep-alive agent of the root's scheme. telegraf has no timeout of its own:
 * call through `TelegramClient.call`, which adds one.
 */
export function createTelegram(config: Config, token: string): Telegram {
  const apiRoot = config.telegram.apiRoot;
  const agent = apiRoot.startsWith('http://') ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  return new Telegram(token, { apiRoot, agent });
}

/**
 * A thin wrapper: every call has a timeout (`config.telegram.requestTimeoutMs`, plus the long poll
 * wait for getUpdates), honours an AbortSignal, checks that a result came back, and throws only
 * our ApiError / HttpError with the token redacted.
 */
export class TelegramClient {
  readonly telegram: Telegram;
  private readonly secrets: string[];

  constructor(
    private readonly config: Config,
    private readonly token: string,
    /** Told about every call (metrics). */
    private readonly observer?: ApiObserver,
  ) {
    this.telegram = createTelegram(config, token);
    this.secrets = [...secretValues(config), token];
  }

  /**
   * `timeoutMs` replaces `config.telegram.requestTimeoutMs` (sends wait longer than reads: a send
   * that times out may still be delivered); `extraTimeoutMs` is added (the long poll's wait).
   */
  async call<T>(
    method: string,
    payload: Record<string, unknown>,
    opts: { signal?: AbortSignal; extraTimeoutMs?: number; timeoutMs?: number } = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout((opts.timeoutMs ?? this.config.telegram.requestTimeoutMs) + (opts.extraTimeoutMs ?? 0));
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let result: unknown;
    const started = performance.now();
    const observe = (error: unknown) =>
      this.observer?.apiCall({
        platform: 'telegram',
        method,
        durationMs: performance.now() - started,
        error: error === null ? null : apiErrorLabel('telegram', error),
      });
    try {
      result = await (this.telegram.callApi as (m: string, p: unknown, o: { signal: AbortSignal }) => Promise<unknown>)(method, payload, { signal });
    } catch (error) {
      const wrapped = wrapTelegramError(method, error, this.secrets);
      observe(wrapped);
      throw wrapped;
    }
    if (result === undefined) {
      const malformed = wrapTelegramError(method, new MalformedTelegramResponseError(`${method} answered without a result`));
      observe(malformed);
      throw malformed;
    }
    observe(null);
    return result as T;
  }

  /** A call that posts or changes a message: `config.telegram.sendTimeoutMs`, longer than a read's. */
  send<T>(method: string, payload: Record<string, unknown>): Promise<T> {
    return this.call<T>(method, payload, { timeoutMs: this.config.telegram.sendTimeoutMs });
  }

  /**
   * Where a file getFile described can be downloaded: `<apiRoot>/file/bot<token>/<file_path>`. The
   * address carries the token: never log it (downloadFile keeps it out of its errors).
   */
  fileUrl(filePath: string): string {
    const root = this.config.telegram.apiRoot.replace(/\/+$/, '');
    return `${root}/file/bot${this.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
  }
}
