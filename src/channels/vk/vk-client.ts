import http from 'node:http';
import type https from 'node:https';
import { API, type APIRequest } from 'vk-io';
import type { Config } from '../../config.js';
import { type ApiObserver, apiErrorLabel } from '../api-observer.js';
import { EXECUTE_MAX_CALLS } from './vk-batch.js';

/**
 * What a community token sends: replies under posts and in the dialog. When several wait on one
 * token, vk-io folds them into one `execute` (up to 25 calls, one request of the token's budget).
 */
export const VK_COMMUNITY_EXECUTE_METHODS: readonly string[] = ['wall.createComment', 'messages.send'];

/**
 * vk-io's API with every request reported to an observer. `callWithRequest` is the one door
 * every vk-io call (method proxies, `call`, `execute`) goes through.
 */
class ObservedVkApi extends API {
  constructor(
    options: ConstructorParameters<typeof API>[0],
    private readonly observer: ApiObserver,
  ) {
    super(options);
  }

  override async callWithRequest<T = unknown>(request: APIRequest): Promise<T> {
    const started = performance.now();
    try {
      const result = await super.callWithRequest<T>(request);
      this.observer.apiCall({ platform: 'vk', method: request.method, durationMs: performance.now() - started, error: null });
      return result;
    } catch (error) {
      this.observer.apiCall({ platform: 'vk', method: request.method, durationMs: performance.now() - started, error: apiErrorLabel('vk', error) });
      throw error;
    }
  }
}

/**
 * A vk-io API bound to one token, pointed at `config.vk.apiBaseUrl` (the emulator in tests).
 * - `apiLimit` = the token's request budget: vk-io queues calls so they never exceed it.
 * - `apiTimeout` = `config.vk.requestTimeoutMs`: a call that hangs surfaces as AbortError.
 * - `apiRetryLimit: 0`: transport failures surface to our classification at once; the poller
 *   and the outbox decide about retries (vk-io would otherwise wait 3 s per hidden retry).
 *   vk-io still retries error 6 (too many requests) itself, after a one-second pause.
 * - An http:// base URL needs a plain http.Agent: vk-io's default is https.
 * - `executeMethods` (default none): calls of these methods that wait on the token together go
 *   out as one `execute` of up to 25 (vk-io's 'parallel_selected' mode); each call still gets its
 *   own answer or its own VK error (from `execute_errors`), and an error of the whole request
 *   (6, a timeout) reaches every call in it.
 */
export function createVkApi(config: Config, token: string, requestsPerSecond: number, observer?: ApiObserver, executeMethods: readonly string[] = []): API {
  const baseUrl = config.vk.apiBaseUrl;
  const options: ConstructorParameters<typeof API>[0] = {
    token,
    apiBaseUrl: baseUrl,
    apiVersion: config.vk.apiVersion,
    apiLimit: requestsPerSecond,
    apiTimeout: config.vk.requestTimeoutMs,
    apiRetryLimit: 0,
    ...(executeMethods.length > 0 ? { apiMode: 'parallel_selected', apiExecuteMethods: [...executeMethods], apiExecuteCount: EXECUTE_MAX_CALLS } : {}),
    ...(baseUrl.startsWith('http://') ? { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent } : {}),
  };
  return observer ? new ObservedVkApi(options, observer) : new API(options);
}

/** The API of the token that reads walls (user or service token), or null when no community watches its wall. */
export function createVkReaderApi(config: Config, observer?: ApiObserver): API | null {
  const reader = config.secrets.vkReader;
  return reader ? createVkApi(config, reader.token, config.vk.readerRequestsPerSecond, observer) : null;
}

/** One API per community token: replies and community messages (folded into `execute`), long poll. */
export function createVkCommunityApis(config: Config, observer?: ApiObserver): Map<number, API> {
  const apis = new Map<number, API>();
  for (const [groupId, token] of config.secrets.vkCommunityTokens) {
    apis.set(groupId, createVkApi(config, token, config.vk.communityRequestsPerSecond, observer, VK_COMMUNITY_EXECUTE_METHODS));
  }
  return apis;
}
