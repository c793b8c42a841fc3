import http from 'node:http';
import type https from 'node:https';
import { API } from 'vk-io';
import type { Config } from '../../config.js';

/**
 * A vk-io API bound to one token, pointed at `config.vk.apiBaseUrl` (the emulator in tests).
 * - `apiLimit` = the token's request budget: vk-io queues calls so they never exceed it.
 * - `apiTimeout` = `config.vk.requestTimeoutMs`: a call that hangs surfaces as AbortError.
 * - `apiRetryLimit: 0`: transport failures surface to our classification at once; the poller
 *   and the outbox decide about retries (vk-io would otherwise wait 3 s per hidden retry).
 *   vk-io still retries error 6 (too many requests) itself, after a one-second pause.
 * - An http:// base URL needs a plain http.Agent: vk-io's default is https.
 */
export function createVkApi(config: Config, token: string, requestsPerSecond: number): API {
  const baseUrl = config.vk.apiBaseUrl;
  return new API({
    token,
    apiBaseUrl: baseUrl,
    apiVersion: config.vk.apiVersion,
    apiLimit: requestsPerSecond,
    apiTimeout: config.vk.requestTimeoutMs,
    apiRetryLimit: 0,
    ...(baseUrl.startsWith('http://') ? { agent: new http.Agent({ keepAlive: true }) as unknown as https.Agent } : {}),
  });
}

/** The API of the token that reads walls (user or service token), or null when no community watches its wall. */
export function createVkReaderApi(config: Config): API | null {
  const reader = config.secrets.vkReader;
  return reader ? createVkApi(config, reader.token, config.vk.readerRequestsPerSecond) : null;
}

/** One API per community token: replies, community messages, long poll. */
export function createVkCommunityApis(config: Config): Map<number, API> {
  const apis = new Map<number, API>();
  for (const [groupId, token] of config.secrets.vkCommunityTokens) {
    apis.set(groupId, createVkApi(config, token, config.vk.communityRequestsPerSecond));
  }
  return apis;
}
