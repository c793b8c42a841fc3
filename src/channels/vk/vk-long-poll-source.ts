import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import type { InboundMessage } from '../../domain/inbound-message.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import { HttpError, redactSecrets } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import { backoffDelay, sleep } from '../../retry.js';
import type { ChannelStatus } from '../channel-status.js';
import { MalformedResponseError, classifyVkError, wrapVkError } from './vk-errors.js';
import { type Normalised, normaliseVkMessage, normaliseVkWallReply } from './vk-normalise.js';
import { VkUserNames, type VkUserNamesOptions } from './vk-user-names.js';

export interface VkLongPollSourceDeps {
  config: Config;
  /** Where the source keeps its place (`stores.cursors`). */
  cursors: CursorStore;
  logger: Logger;
  clock: () => number;
  /** Community token APIs by group id (createVkCommunityApis). */
  apis: ReadonlyMap<number, API>;
  sink: InboundSink;
  status?: ChannelStatus;
  /** Cache and timing of the author-name lookups; defaults in VkUserNamesOptions. */
  userNames?: Partial<VkUserNamesOptions>;
}

/** a_check wait, seconds: VK's recommended 25 (not in config). */
export const VK_LONG_POLL_WAIT_SECONDS = 25;
/** Backoff after a failed request: 1 s doubling to 60 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export const vkLongPollCursorKey = (groupId: number): string => `vklp:${groupId}`;
export const vkLongPollChannel = (groupId: number): string => `vk:lp:${groupId}`;

/** Raw event types we read, mapped to their normaliser: one table, not a switch. */
const EVENT_NORMALISERS: Readonly<Record<string, (object: unknown, groupId: number) => Normalised>> = {
  message_new: normaliseVkMessage,
  wall_reply_new: normaliseVkWallReply,
};

interface Server {
  server: string;
  key: string;
  ts: string;
}

type CheckAnswer = { ts: string; updates: unknown[] } | { failed: 1; ts: string } | { failed: 2 | 3 };

/**
 * Bots Long Poll for every community with `watchMessages`, with the community's own token.
 * - `message_new` → channel 'vk_message'; `wall_reply_new` → 'vk_comment' with the same
 *   externalId as the wall poller, so the two dedupe and own-community comments arrive at once.
 * - Events carry only `from_id`: authors are named by one `users.get` per batch (VkUserNames,
 *   cached); a failed lookup leaves names null and never holds the batch back.
 * - `ts` is stored under `vklp:<groupId>` in the same transaction as the events it covers: after a
 *   restart the loop resumes from it, so no event is lost (VK keeps them for a while) or taken twice.
 * - failed 1 (history lost): continue from the new ts; 2 (key expired): new key, same ts;
 *   3 (information lost): new key and ts, as VK documents.
 * - Errors back off (capped) and retry; a fatal one (revoked token) stops that community's loop
 *   with a log line and a `stopped` ChannelStatus.
 */
export class VkLongPollSource {
  private readonly cursors: CursorStore;
  private readonly secrets: string[];
  /** Shared by every community: a person's name is the same whichever community they write to. */
  readonly names: VkUserNames;

  constructor(private readonly deps: VkLongPollSourceDeps) {
    this.cursors = deps.cursors;
    this.secrets = secretValues(deps.config);
    this.names = new VkUserNames({ clock: deps.clock, secrets: this.secrets, ...deps.userNames });
  }

  /** Runs until `signal` aborts; resolves when every community's loop has ended. */
  async run(signal: AbortSignal): Promise<void> {
    const groups = this.deps.config.vk.communities.filter((c) => c.watchMessages && this.deps.apis.has(c.groupId));
    await Promise.all(groups.map((c) => this.runCommunity(c.groupId, signal)));
  }

  /** One community's loop. */
  async runCommunity(groupId: number, signal: AbortSignal): Promise<void> {
    const api = this.deps.apis.get(groupId);
    if (!api) throw new Error(`no community token for VK group ${groupId}`);
    const channel = vkLongPollChannel(groupId);
    const log = this.deps.logger.child({ channel, groupId });
    const status = this.deps.status;
    status?.starting(channel);
    let server: Server | null = null;
    let ts: string | null = this.cursors.get<{ ts: string }>(vkLongPollCursorKey(groupId))?.ts ?? null;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!server) {
          server = await this.getServer(api, groupId);
          if (ts === null) {
            // Store the starting point at once: events that arrive while a first run is down are
            // then read after the restart, instead of being skipped as history by a fresh ts.
            ts = server.ts;
            this.deps.sink.ingestBatch([], [{ key: vkLongPollCursorKey(groupId), value: { ts } }]);
          }
        }
        const answer = await this.check(server, ts ?? server.ts, signal);
        if (signal.aborted) break;
        failures = 0;
        status?.success(channel);
        if ('updates' in answer) {
          const messages = await this.names.name(api, this.normalise(answer.updates, groupId, log), log);
          if (answer.ts !== ts || messages.length > 0) {
            this.deps.sink.ingestBatch(messages, [{ key: vkLongPollCursorKey(groupId), value: { ts: answer.ts } }]);
          }
          ts = answer.ts;
        } else if (answer.failed === 1) {
          log.warn({ ts, newTs: answer.ts }, 'VK long poll history lost some events; continuing from the new ts (the wall poller still reads comments)');
          this.deps.sink.ingestBatch([], [{ key: vkLongPollCursorKey(groupId), value: { ts: answer.ts } }]);
          ts = answer.ts;
        } else if (answer.failed === 2) {
          server = null;
        } else {
          server = null;
          ts = null;
        }
      } catch (error) {
        if (signal.aborted) break;
        const wrapped = wrapVkError(server ? 'a_check' : 'groups.getLongPollServer', error, this.secrets);
        const kind = classifyVkError(wrapped).kind;
        if (kind === 'fatal') {
          log.error({ err: wrapped.message }, 'VK long poll stopped: the community token was refused; fix the token and restart');
          status?.stopped(channel, wrapped.message);
          return;
        }
        failures += 1;
        status?.failure(channel, wrapped.message);
        server = kind === 'reject' ? null : server;
        const delay = backoffDelay(failures, RETRY_BASE_MS, RETRY_MAX_MS);
        log.warn({ err: wrapped.message, attempt: failures, delayMs: delay }, 'VK long poll failed; retrying');
        await sleep(delay, signal);
      }
    }
    status?.stopped(channel);
  }

  private async getServer(api: API, groupId: number): Promise<Server> {
    const answer = (await api.groups.getLongPollServer({ group_id: groupId })) as unknown as Record<string, unknown>;
    const { server, key, ts } = answer ?? {};
    if (typeof server !== 'string' || typeof key !== 'string' || (typeof ts !== 'string' && typeof ts !== 'number')) {
      throw new MalformedResponseError('groups.getLongPollServer answered without server, key or ts');
    }
    return { server, key, ts: String(ts) };
  }

  private async check(server: Server, ts: string, signal: AbortSignal): Promise<CheckAnswer> {
    const url = new URL(server.server.startsWith('http') ? server.server : `https://${server.server}`);
    url.searchParams.set('act', 'a_check');
    url.searchParams.set('key', server.key);
    url.searchParams.set('ts', ts);
    url.searchParams.set('wait', String(VK_LONG_POLL_WAIT_SECONDS));
    // The request may hold for `wait` seconds; past that plus the usual timeout it is stuck.
    const timeout = AbortSignal.timeout(VK_LONG_POLL_WAIT_SECONDS * 1000 + this.deps.config.vk.requestTimeoutMs);
    const response = await fetch(url, { signal: AbortSignal.any([signal, timeout]) });
    const body = await response.text();
    if (response.status >= 400) {
      throw new HttpError('vk', 'a_check', `HTTP ${response.status}`, { status: response.status });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new MalformedResponseError(`a_check answered non-JSON: ${redactSecrets(body.slice(0, 80), this.secrets)}`);
    }
    const answer = parsed as Record<string, unknown>;
    if (answer && typeof answer === 'object') {
      if (answer.failed === 1 && (typeof answer.ts === 'string' || typeof answer.ts === 'number')) return { failed: 1, ts: String(answer.ts) };
      if (answer.failed === 2 || answer.failed === 3) return { failed: answer.failed };
      if ((typeof answer.ts === 'string' || typeof answer.ts === 'number') && Array.isArray(answer.updates)) {
        return { ts: String(answer.ts), updates: answer.updates };
      }
    }
    throw new MalformedResponseError('a_check answered an unexpected shape');
  }

  private normalise(updates: unknown[], groupId: number, log: Logger): InboundMessage[] {
    const out: InboundMessage[] = [];
    for (const update of updates) {
      const event = update as { type?: unknown; object?: unknown; group_id?: unknown } | null;
      const normaliser = typeof event?.type === 'string' ? EVENT_NORMALISERS[event.type] : undefined;
      if (!normaliser) continue;
      const result = normaliser(event?.object, groupId);
      if (!result.ok) {
        log.warn({ type: event?.type, reason: result.reason }, 'VK long poll event skipped');
        continue;
      }
      // The community's own comments and messages are ours: never ingest them.
      if (result.message.author.id === -groupId) continue;
      out.push(result.message);
    }
    return out;
  }
}
