import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import { type ChannelId, vkLongPollChannel } from '../../domain/channel-id.js';
import type { InboundMessage } from '../../domain/inbound-message.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import { type ApiError, type FailureClass, HttpError, redactSecrets } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import type { ChannelStatus } from '../channel-status.js';
import { type PolledSource, runSource } from '../source-runner.js';
import { classifyVkError, MalformedResponseError, wrapVkError } from './vk-errors.js';
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

export const vkLongPollCursorKey = (groupId: number): string => `vklp:${groupId}`;

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
 * Bots Long Poll for every community with `watchMessages`, with the community's own token; each
 * community is a source of its own (channel `vk:lp:<groupId>`) run by the shared source runner.
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
  readonly cursors: CursorStore;
  readonly secrets: string[];
  /** Shared by every community: a person's name is the same whichever community they write to. */
  readonly names: VkUserNames;

  constructor(readonly deps: VkLongPollSourceDeps) {
    this.cursors = deps.cursors;
    this.secrets = secretValues(deps.config);
    this.names = new VkUserNames({ clock: deps.clock, secrets: this.secrets, ...deps.userNames });
  }

  /** One source per community with `watchMessages` and a token. */
  communities(): PolledSource[] {
    return this.deps.config.vk.communities
      .filter((c) => c.watchMessages && this.deps.apis.has(c.groupId))
      .map((c) => new CommunityLongPoll(this, c.groupId, this.deps.apis.get(c.groupId)!));
  }

  /** Runs until `signal` aborts; resolves when every community's loop has ended. */
  async run(signal: AbortSignal): Promise<void> {
    const deps = { logger: this.deps.logger, ...(this.deps.status ? { status: this.deps.status } : {}) };
    await Promise.all(this.communities().map((community) => runSource(community, signal, deps)));
  }
}

/** What `vklp:<groupId>` holds. */
interface LongPollCursor {
  ts: string;
  /** The newest community message id recorded: where a backfill after a gap stops. */
  lastMessageId?: number;
  /** Unix seconds when the community was first watched: the backfill's bound before any message was recorded. */
  since?: number;
}

/** Most getConversations pages (200 dialogs each) and getHistory pages per dialog one backfill reads. */
const BACKFILL_PAGES = 5;
const BACKFILL_PAGE_SIZE = 200;

/** One community's Bots Long Poll: a key and server (asked again when VK drops them) and the ts. */
class CommunityLongPoll implements PolledSource {
  readonly channel: ChannelId;
  readonly label = 'VK long poll';
  readonly fatalHint = 'the community token was refused; fix the token and restart';
  private readonly log: Logger;
  private readonly cursorKey: string;
  private server: Server | null = null;
  /** The stored cursor; `ts` null while a new one is needed (first start, failed 3). */
  private cursor: { ts: string | null; lastMessageId?: number; since?: number };
  /** VK said events were lost (failed 3): read the dialogs back once the new ts is known. */
  private gap = false;

  constructor(
    private readonly parent: VkLongPollSource,
    private readonly groupId: number,
    private readonly api: API,
  ) {
    this.channel = vkLongPollChannel(groupId);
    this.log = parent.deps.logger.child({ channel: this.channel, groupId });
    this.cursorKey = vkLongPollCursorKey(groupId);
    this.cursor = parent.cursors.get<LongPollCursor>(this.cursorKey) ?? { ts: null };
  }

  private get ts(): string | null {
    return this.cursor.ts;
  }

  /** Hand `messages` over with the cursor moved to `ts` (and past the newest message), in one transaction. */
  private handOver(messages: InboundMessage[], ts: string): void {
    let lastMessageId = this.cursor.lastMessageId;
    for (const m of messages) if (m.thread.channel === 'vk_message') lastMessageId = Math.max(lastMessageId ?? 0, m.thread.messageId);
    const since = this.cursor.since ?? Math.floor(this.parent.deps.clock() / 1000);
    const next: LongPollCursor = { ts, ...(lastMessageId !== undefined ? { lastMessageId } : {}), since };
    this.parent.deps.sink.ingestBatch(messages, [{ key: this.cursorKey, value: next }]);
    this.cursor = next;
  }

  async round(signal: AbortSignal): Promise<void> {
    const { log } = this;
    if (!this.server) {
      this.server = await this.getServer();
      if (this.ts === null) {
        // Store the starting point at once: events that arrive while a first run is down are
        // then read after the restart, instead of being skipped as history by a fresh ts.
        if (this.gap) await this.backfill(this.server.ts);
        else this.handOver([], this.server.ts);
        this.gap = false;
      }
    }
    const ts = this.ts ?? this.server.ts;
    const answer = await this.check(this.server, ts, signal);
    if (signal.aborted) return;
    if ('updates' in answer) {
      const messages = await this.parent.names.name(this.api, this.normalise(answer.updates), log);
      if (answer.ts !== ts || messages.length > 0) this.handOver(messages, answer.ts);
    } else if (answer.failed === 1) {
      log.warn({ ts, newTs: answer.ts }, 'VK long poll history lost; reading the community messages of the gap back from its dialogs');
      await this.backfill(answer.ts);
    } else if (answer.failed === 2) {
      this.server = null;
    } else {
      log.warn({ ts }, 'VK long poll information lost (failed 3); reading the community messages of the gap back from its dialogs');
      this.server = null;
      this.gap = true;
      this.cursor = { ...this.cursor, ts: null };
    }
  }

  /**
   * After a gap in the long poll: the community's dialogs, most recent first
   * (`messages.getConversations`), and of each dialog with something new its messages, newest
   * first (`messages.getHistory`), down to the last recorded message (or, before any, to when the
   * community was first watched); handed over oldest first with the cursor at `ts`. What was
   * already recorded dedupes by its id. Comments written in the gap (`wall_reply_new`) are not
   * here: the wall poller reads them where `watchWall` is on. Throws on a failed call: the round
   * is retried and so is the backfill, since the cursor stays until it succeeds.
   */
  private async backfill(ts: string): Promise<void> {
    const { groupId, log } = this;
    const lastId = this.cursor.lastMessageId ?? 0;
    const since = this.cursor.since;
    if (this.cursor.lastMessageId === undefined && since === undefined) {
      log.warn('VK long poll gap: no recorded message to read back to; the messages of the gap are not recovered');
      this.handOver([], ts);
      return;
    }
    const isNew = (m: { id?: unknown; date?: unknown }): boolean =>
      typeof m.id === 'number' && m.id > lastId && (since === undefined || (typeof m.date === 'number' && m.date >= since));
    const raw: unknown[] = [];
    let capped = false;
    const peers: number[] = [];
    for (let page = 0; ; page += 1) {
      if (page >= BACKFILL_PAGES) {
        capped = true;
        break;
      }
      const answer = (await this.api.messages.getConversations({
        group_id: groupId,
        count: BACKFILL_PAGE_SIZE,
        offset: page * BACKFILL_PAGE_SIZE,
      })) as unknown as {
        items?: unknown;
      };
      if (!Array.isArray(answer?.items)) throw new MalformedResponseError('messages.getConversations answered without items');
      let reachedOld = answer.items.length < BACKFILL_PAGE_SIZE;
      for (const item of answer.items as { conversation?: { peer?: { id?: unknown } }; last_message?: { id?: unknown; date?: unknown } }[]) {
        const peer = item?.conversation?.peer?.id;
        if (typeof peer !== 'number' || !item.last_message) continue;
        if (isNew(item.last_message)) peers.push(peer);
        else reachedOld = true;
      }
      if (reachedOld) break;
    }
    for (const peer of peers) {
      for (let page = 0; ; page += 1) {
        if (page >= BACKFILL_PAGES) {
          capped = true;
          break;
        }
        const answer = (await this.api.messages.getHistory({
          group_id: groupId,
          peer_id: peer,
          count: BACKFILL_PAGE_SIZE,
          offset: page * BACKFILL_PAGE_SIZE,
        })) as unknown as {
          items?: unknown;
        };
        if (!Array.isArray(answer?.items)) throw new MalformedResponseError('messages.getHistory answered without items');
        const items = answer.items as { id?: unknown; date?: unknown; out?: unknown }[];
        const fresh = items.filter(isNew);
        raw.push(...fresh.filter((m) => m.out !== 1));
        if (fresh.length < items.length || items.length < BACKFILL_PAGE_SIZE) break;
      }
    }
    const messages: InboundMessage[] = [];
    for (const item of raw) {
      const result = normaliseVkMessage(item, groupId);
      if (!result.ok) log.warn({ reason: result.reason }, 'VK message read back skipped');
      else if (result.message.author.id !== -groupId) messages.push(result.message);
    }
    messages.sort((a, b) => (a.thread as { messageId: number }).messageId - (b.thread as { messageId: number }).messageId);
    if (capped) log.warn({ dialogs: peers.length }, 'VK long poll gap larger than one backfill reads; the oldest messages of the gap are not recovered');
    log.info({ messages: messages.length, dialogs: peers.length }, 'VK long poll gap backfilled from the dialogs');
    this.handOver(await this.parent.names.name(this.api, messages, log), ts);
  }

  classify(error: unknown): { error: ApiError | HttpError; failure: FailureClass } {
    const wrapped = wrapVkError(this.server ? 'a_check' : 'groups.getLongPollServer', error, this.parent.secrets);
    return { error: wrapped, failure: classifyVkError(wrapped) };
  }

  /** A rejected request will not pass with this key: ask for a new one. */
  afterFailure(failure: FailureClass): void {
    if (failure.kind === 'reject') this.server = null;
  }

  private async getServer(): Promise<Server> {
    const answer = (await this.api.groups.getLongPollServer({ group_id: this.groupId })) as unknown as Record<string, unknown>;
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
    const timeout = AbortSignal.timeout(VK_LONG_POLL_WAIT_SECONDS * 1000 + this.parent.deps.config.vk.requestTimeoutMs);
    const response = await fetch(url, { signal: AbortSignal.any([signal, timeout]) });
    const body = await response.text();
    if (response.status >= 400) {
      throw new HttpError('vk', 'a_check', `HTTP ${response.status}`, { status: response.status });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new MalformedResponseError(`a_check answered non-JSON: ${redactSecrets(body.slice(0, 80), this.parent.secrets)}`);
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

  private normalise(updates: unknown[]): InboundMessage[] {
    const { groupId, log } = this;
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
