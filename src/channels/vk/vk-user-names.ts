import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { InboundMessage } from '../../domain/inbound-message.js';
import { LruCache } from '../lru-cache.js';
import { vkProfileNames } from './vk-author-names.js';
import { MalformedResponseError, wrapVkError } from './vk-errors.js';

/** Tuning of VkUserNames; every field has a default. */
export interface VkUserNamesOptions {
  /** Ids whose names are kept. Default 5000: a busy region's active authors of a few hours. */
  capacity: number;
  /** How long a name is trusted (people rename themselves rarely). Default 6 hours. */
  ttlMs: number;
  /** Longest wait for users.get before the batch goes on without names; a late answer still fills the cache. Default 3 s. */
  lookupTimeoutMs: number;
  /** After a failed users.get, batches go on without asking VK for this long. Default 60 s. */
  cooldownMs: number;
}

export interface VkUserNamesDeps extends Partial<VkUserNamesOptions> {
  clock: () => number;
  /** Token values to remove from error messages. */
  secrets?: readonly string[];
}

/** VK's limit of user_ids per users.get. */
export const USERS_GET_MAX_IDS = 1000;

const DEFAULTS: VkUserNamesOptions = { capacity: 5000, ttlMs: 6 * 3_600_000, lookupTimeoutMs: 3_000, cooldownMs: 60_000 };

/**
 * Names the VK authors of a batch of messages (Bots Long Poll gives only `from_id`):
 * one `users.get` per batch for the ids not cached (up to 1000 ids a call), with the
 * community's token, which users.get accepts. Names, and "no name" for an id VK does not
 * return, are cached in a bounded LRU with a TTL, so a busy dialog costs no calls.
 * A lookup that fails or is slow never holds messages back or loses them: they go on with
 * name null; the failure is logged once at warn per run of failures, and VK is not asked
 * again until `cooldownMs` has passed.
 */
export class VkUserNames {
  private readonly options: VkUserNamesOptions;
  private readonly cache: LruCache<number, string | null>;
  private quietUntil = 0;
  private failing = false;
  /** users.get requests made (each call counts once). */
  requests = 0;

  constructor(private readonly deps: VkUserNamesDeps) {
    this.options = {
      capacity: deps.capacity ?? DEFAULTS.capacity,
      ttlMs: deps.ttlMs ?? DEFAULTS.ttlMs,
      lookupTimeoutMs: deps.lookupTimeoutMs ?? DEFAULTS.lookupTimeoutMs,
      cooldownMs: deps.cooldownMs ?? DEFAULTS.cooldownMs,
    };
    this.cache = new LruCache({ capacity: this.options.capacity, ttlMs: this.options.ttlMs, clock: deps.clock });
  }

  /** `messages` with `author.name` filled where VK knows it. Never throws. */
  async name(api: API, messages: readonly InboundMessage[], log: Logger): Promise<InboundMessage[]> {
    const wanted = [...new Set(messages.filter((m) => m.author.platform === 'vk' && m.author.name === null && m.author.id > 0).map((m) => m.author.id))];
    const missing = wanted.filter((id) => !this.cache.has(id));
    if (missing.length > 0 && this.deps.clock() >= this.quietUntil) await this.lookup(api, missing, log);
    return messages.map((m) => {
      const name = m.author.name === null && m.author.platform === 'vk' ? this.cache.get(m.author.id) : undefined;
      return typeof name === 'string' ? { ...m, author: { ...m.author, name } } : m;
    });
  }

  private async lookup(api: API, ids: readonly number[], log: Logger): Promise<void> {
    const calls: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i += USERS_GET_MAX_IDS) calls.push(this.usersGet(api, ids.slice(i, i + USERS_GET_MAX_IDS), log));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), this.options.lookupTimeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([Promise.all(calls), budget]);
    clearTimeout(timer);
    // A hanging users.get must not make every following batch wait for one more.
    if (outcome === 'slow') this.failed(log, `no answer within ${this.options.lookupTimeoutMs} ms`, ids.length);
  }

  private async usersGet(api: API, ids: readonly number[], log: Logger): Promise<void> {
    this.requests += 1;
    try {
      const answer: unknown = await api.call('users.get', { user_ids: ids.join(',') });
      if (!Array.isArray(answer)) throw new MalformedResponseError('users.get answered without an array of users');
      const names = vkProfileNames(answer);
      for (const id of ids) this.cache.set(id, names.get(id) ?? null);
      if (this.failing) log.info({ ids: ids.length }, 'VK users.get answers again; authors are named');
      this.failing = false;
    } catch (error) {
      this.failed(log, wrapVkError('users.get', error, this.deps.secrets).message, ids.length);
    }
  }

  /** Starts the cooldown; warns only at the first failure of a run, so a long outage is one line. */
  private failed(log: Logger, reason: string, ids: number): void {
    this.quietUntil = this.deps.clock() + this.options.cooldownMs;
    if (this.failing) return;
    this.failing = true;
    log.warn({ err: reason, ids, retryInMs: this.options.cooldownMs }, 'VK users.get failed; messages go on without author names');
  }
}
