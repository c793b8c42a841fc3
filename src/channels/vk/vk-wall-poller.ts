import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import { VK_WALL_CHANNEL } from '../../domain/channel-id.js';
import type { InboundMessage } from '../../domain/inbound-message.js';
import type { CursorUpdate, InboundSink } from '../../domain/inbound-sink.js';
import type { ApiError, FailureClass, HttpError } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import type { ChannelStatus } from '../channel-status.js';
import { type VkAuthorNames, vkExtendedNames } from './vk-author-names.js';
import { VkBatcher, type VkCall, type VkCallResult } from './vk-batch.js';
import { classifyVkError } from './vk-errors.js';
import { normaliseVkComment } from './vk-normalise.js';
import { type WallCursor, wallBaselineKey, wallCursorKey, wallCursorPrefix } from './vk-wall-cursor.js';

// === Public types

export interface VkWallPollerDeps {
  config: Config;
  /** Where the source keeps its place (`stores.cursors`). */
  cursors: CursorStore;
  logger: Logger;
  clock: () => number;
  /** vk-io API of the reading token (createVkReaderApi). */
  api: API;
  sink: InboundSink;
  status?: ChannelStatus;
  /** Default: config.secrets.vkReader.kind. A user token folds calls into `execute`; a service token cannot. */
  readerKind?: 'user' | 'service';
  /** Told how many posts each cycle deferred (the metrics). */
  observer?: WallPollObserver;
}

export interface WallPollObserver {
  /** `count` posts had more new comments than one cycle's request budget reads; they are read on next cycle. */
  wallPostsDeferred(count: number): void;
}

export interface PollError {
  groupId: number;
  postId?: number;
  kind: FailureClass['kind'];
  message: string;
}

export interface PollReport {
  /** HTTP requests made to VK (an execute counts once). */
  requests: number;
  communities: number;
  postsChecked: number;
  /** Posts whose comments were fetched because their count grew. */
  postsFetched: number;
  /** Comments handed to the sink (the community's own comments excluded). */
  newComments: number;
  /** Posts whose search ran out of its request budget: their cursor stays, the next cycles read on. */
  deferredPosts: number;
  errors: PollError[];
}

/** Most comments per wall.getComments page (VK's limit). */
const PAGE_SIZE = 100;
/** Most thread replies inline per top-level comment (VK's limit). */
const THREAD_ITEMS = 10;
/** A post whose new comments cannot be found within this many calls in one cycle is read on in the next. */
const MAX_CALLS_PER_POST = 20;
/**
 * Comments written this long before the walls were read are surely in the counts read: dates are
 * whole seconds of VK's clock, which may differ a little from ours.
 */
const COUNT_CLOCK_MARGIN_MS = 5_000;
/** At most this many handed-over comments above the cursor are remembered per post. */
const MAX_HANDED = 1000;
/** At most this many long threads' counts are remembered per post (the newest roots). */
const MAX_THREAD_MEMOS = 500;

// === Response shapes (checked, never trusted)

interface RawPost {
  id: number;
  date: number;
  commentsCount: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// === One post's search for its new comments

/** What is known of one long thread at the end of a search: see WallCursor.threads. */
type ThreadMemo = { count: number; fresh?: number };

/**
 * Finds the comments of one post that are newer than its cursor; the count delta says how many
 * to look for, so the search stops as soon as all are found, and goes as far as needed otherwise:
 * 1. top-level comments, newest first, 100 a page, each with its thread's oldest 10 replies inline
 *    and its `thread.count`; paging goes on past the first old comment while some new ones are
 *    still missing (a reply under an old comment of a busy post may be on any page);
 * 2. then every long thread (more replies than inline) whose count differs from the one the
 *    cursor remembers, newest first (`comment_id`), until its first old reply.
 * New means: an id above the cursor's `maxCommentId` and a date after its baseline.
 */
class PostSearch {
  readonly found: InboundMessage[] = [];
  /** New top-level comments seen (the community's own excluded). */
  private freshTop = 0;
  /** New replies per thread root: read this cycle, or carried over from a deferred search. */
  private readonly fresh = new Map<number, number>();
  private maxSeen: number;
  private offset = 0;
  private topLevelDone = false;
  private readonly threads: { rootId: number; offset: number; count: number }[] = [];
  /** Long threads' counts as remembered at the start, then as read to the end this cycle. */
  private readonly memo: Map<number, ThreadMemo>;
  /** Comment id → whether it is new; a comment may come both inline and from its thread. */
  private readonly seen = new Map<number, boolean>();
  /**
   * Comments above `maxCommentId` written in the very second of the post's baseline: the baseline
   * count may or may not hold them (dates are whole seconds). Settled at the end: see settle().
   */
  private readonly sameSecond: { id: number; message: InboundMessage; threadRootId: number | undefined }[] = [];
  /** Comments handed over this search that its count did not hold (see WallCursor.handed). */
  private readonly handedNow: number[] = [];
  calls = 0;
  skipped: string[] = [];

  constructor(
    readonly groupId: number,
    readonly postId: number,
    readonly cursor: WallCursor,
    readonly count: number,
    /** `before`: comments written before it are surely in `count`; `at`: when `count` was read (epoch ms, our clock). */
    private readonly counted: { before: number; at: number },
  ) {
    this.maxSeen = Math.max(cursor.maxCommentId, cursor.deferredMaxSeen ?? 0);
    this.memo = new Map(Object.entries(cursor.threads ?? {}).map(([id, memo]) => [Number(id), memo]));
    for (const [rootId, memo] of this.memo) if (memo.fresh) this.fresh.set(rootId, memo.fresh);
  }

  get expected(): number {
    return this.count - this.cursor.count;
  }

  private get newSeen(): number {
    let total = this.freshTop;
    for (const n of this.fresh.values()) total += n;
    return total;
  }

  private get complete(): boolean {
    return this.newSeen >= this.expected;
  }

  /** The call this search would make next, budget aside; null when nothing is left to read. */
  private wanted(): VkCall | null {
    if (this.complete) return null;
    // extended: the authors' profiles and communities come in the same answer, at no extra request.
    const base = { owner_id: -this.groupId, post_id: this.postId, preview_length: 0, count: PAGE_SIZE, sort: 'desc', extended: 1 } as const;
    if (!this.topLevelDone) return { method: 'wall.getComments', params: { ...base, offset: this.offset, thread_items_count: THREAD_ITEMS } };
    const thread = this.threads[0];
    if (thread) return { method: 'wall.getComments', params: { ...base, comment_id: thread.rootId, offset: thread.offset } };
    return null;
  }

  /** The next call to make, or null when the search is over (done, or out of budget). */
  next(): VkCall | null {
    return this.calls >= MAX_CALLS_PER_POST ? null : this.wanted();
  }

  /** Feed the answer to the call `next()` gave. Throws on an answer of the wrong shape. */
  accept(call: VkCall, value: unknown): void {
    this.calls += 1;
    if (!isObj(value) || !Array.isArray(value.items)) throw new Error('wall.getComments answered without items');
    const items = value.items as unknown[];
    // Malformed or missing profiles cost only the names: the comments are read all the same.
    const names = vkExtendedNames(value);
    const rootId = call.params.comment_id;
    if (typeof rootId === 'number') {
      const thread = this.threads[0]!;
      let reachedOld = items.length < PAGE_SIZE;
      for (const item of items) {
        if (this.consider(item, rootId, names) === false) reachedOld = true;
      }
      thread.offset += items.length;
      if (reachedOld || items.length === 0) {
        this.threads.shift();
        // A thread holding a comment of the baseline's own second is not remembered as read: should
        // this search be deferred, the next cycle must see that comment again to settle it.
        if (this.sameSecond.some((c) => c.threadRootId === rootId)) this.memo.delete(rootId);
        else this.memo.set(rootId, { count: thread.count, fresh: this.fresh.get(rootId) ?? 0 });
      }
      return;
    }
    let reachedOld = items.length < PAGE_SIZE;
    for (const item of items) {
      if (this.consider(item, undefined, names) === false) reachedOld = true;
      if (!isObj(item) || !isPositiveInt(item.id)) continue;
      this.thread(item.id, isObj(item.thread) ? item.thread : undefined, names);
    }
    this.offset += items.length;
    // Past the first old comment only older ones follow; go on only while new ones are missing.
    const total = isCount(value.current_level_count) ? value.current_level_count : undefined;
    const lastPage = items.length === 0 || items.length < PAGE_SIZE || (total !== undefined && this.offset >= total);
    if (lastPage || (reachedOld && this.complete)) this.topLevelDone = true;
  }

  /** One top-level comment's thread as its page shows it: read inline, left as remembered, or queued to open. */
  private thread(rootId: number, thread: Obj | undefined, names: VkAuthorNames): void {
    const inline = thread && Array.isArray(thread.items) ? (thread.items as unknown[]) : [];
    const total = thread && isCount(thread.count) ? thread.count : 0;
    if (total <= inline.length) {
      // The whole thread is inline: read it all again.
      this.fresh.delete(rootId);
      this.memo.delete(rootId);
      for (const reply of inline) this.consider(reply, rootId, names);
      return;
    }
    // A long thread whose count is as remembered has nothing unread: its new replies were counted before.
    if (this.memo.get(rootId)?.count === total) return;
    this.fresh.delete(rootId);
    for (const reply of inline) this.consider(reply, rootId, names);
    // Inline replies are the thread's oldest; the newer ones are read from the thread itself.
    this.threads.push({ rootId, offset: 0, count: total });
  }

  /** True for a new comment, false for an old one, undefined for an item that is skipped. */
  private consider(raw: unknown, threadRootId: number | undefined, authorNames: VkAuthorNames): boolean | undefined {
    const normalised = normaliseVkComment(raw, { groupId: this.groupId, postId: this.postId, authorNames, ...(threadRootId ? { threadRootId } : {}) });
    if (!normalised.ok) {
      this.skipped.push(normalised.reason);
      return undefined;
    }
    const message = normalised.message;
    const thread = message.thread as { commentId: number };
    const id = thread.commentId;
    const known = this.seen.get(id);
    if (known !== undefined) return known;
    // Only a comment the count holds may move the cursor past the ids below it: one written during
    // the search may be newer than a comment of the count not found yet, and ids only grow.
    const inCount = message.createdAt < this.counted.before;
    if (inCount) this.maxSeen = Math.max(this.maxSeen, id);
    // Strictly after the baseline second: new. In that second: new or in the baseline count, settled at the end.
    const sinceMs = (this.cursor.since ?? -1) * 1000;
    const above = id > this.cursor.maxCommentId;
    const isNew = above && message.createdAt >= sinceMs + 1000;
    this.seen.set(id, isNew);
    if (!isNew) {
      if (above && message.createdAt >= sinceMs) this.sameSecond.push({ id, message, threadRootId });
      return false;
    }
    this.take(id, message, threadRootId, inCount);
    return true;
  }

  /**
   * A new comment: handed over, and counted towards the new ones the count promises when the count
   * holds it. A comment written while the search runs is not in the count: counting it would end
   * the search before a comment of the count is found. It is handed over all the same, and found
   * (and counted) again next cycle; the sink records it once.
   */
  private take(id: number, message: InboundMessage, threadRootId: number | undefined, inCount: boolean): void {
    const ours = message.author.id === -this.groupId;
    // The community's own comments never count: one the bot posted after this cycle's count was
    // taken is not in it. Nor does one handed over before: the count it was found under may hold it
    // already. Either only makes the search read on.
    const handedBefore = this.cursor.handed?.includes(id) ?? false;
    if (inCount && !ours && !handedBefore && !this.cursor.own?.includes(id)) {
      if (threadRootId === undefined) this.freshTop += 1;
      else this.fresh.set(threadRootId, (this.fresh.get(threadRootId) ?? 0) + 1);
    }
    if (ours || handedBefore) return;
    this.found.push(message);
    if (!inCount) this.handedNow.push(id);
  }

  /**
   * A search that read everything and still misses new comments: the missing ones were written in
   * the baseline's own second, after its count was taken. Comment ids only grow, so they are the
   * newest of the comments of that second. Comments the search found but could not count may make
   * it take more than the baseline left out: a comment of that very second may then be answered
   * though it came just before, which is better than losing one. Call once the search is over (and
   * not deferred).
   */
  settle(): void {
    const missing = this.expected - this.newSeen;
    if (missing <= 0 || this.sameSecond.length === 0) return;
    const newest = [...this.sameSecond].sort((a, b) => b.id - a.id).slice(0, missing);
    for (const { id, message, threadRootId } of newest) {
      this.seen.set(id, true);
      this.take(id, message, threadRootId, true);
    }
  }

  /** The search stopped at its call budget with comments still to find and places still to read. */
  get deferred(): boolean {
    return this.calls >= MAX_CALLS_PER_POST && this.wanted() !== null;
  }

  /**
   * The cursor to store with the found messages. A deferred search keeps the count and
   * `maxCommentId` it started from (so the unread comments stay new) and remembers the long
   * threads it did read to the end, with their new replies, so the next cycle goes on from there.
   */
  result(): WallCursor {
    const since = this.cursor.since !== undefined ? { since: this.cursor.since } : {};
    if (this.deferred) {
      const threads = Object.fromEntries([...this.memo].map(([id, memo]) => [String(id), memo]));
      const handed = this.handedAbove(this.cursor.maxCommentId);
      return {
        count: this.cursor.count,
        ...(this.cursor.countedAt !== undefined ? { countedAt: this.cursor.countedAt } : {}),
        maxCommentId: this.cursor.maxCommentId,
        ...since,
        ...(this.cursor.own ? { own: this.cursor.own } : {}),
        threads,
        deferredMaxSeen: this.maxSeen,
        ...(handed.length > 0 ? { handed } : {}),
      };
    }
    const maxCommentId = this.maxSeen;
    const own = (this.cursor.own ?? []).filter((id) => id > maxCommentId);
    const threads = [...this.memo].slice(-MAX_THREAD_MEMOS).map(([id, memo]) => [String(id), { count: memo.count }] as const);
    const handed = this.handedAbove(maxCommentId);
    return {
      count: this.count,
      countedAt: this.counted.at,
      maxCommentId,
      ...since,
      ...(own.length > 0 ? { own } : {}),
      ...(threads.length > 0 ? { threads: Object.fromEntries(threads) } : {}),
      ...(handed.length > 0 ? { handed } : {}),
    };
  }

  /** Handed-over ids the cursor does not cover yet (above `maxCommentId`), the newest kept. */
  private handedAbove(maxCommentId: number): number[] {
    return [...new Set([...(this.cursor.handed ?? []), ...this.handedNow])]
      .filter((id) => id > maxCommentId)
      .sort((a, b) => a - b)
      .slice(-MAX_HANDED);
  }
}

// === The poller

/**
 * One poll cycle over every community with `watchWall`, frugal with VK's quota:
 * 1. `wall.get` of every community (25 per `execute` with a user token);
 * 2. compare each post's `comments.count` with its cursor; only posts whose count grew are read;
 * 3. `wall.getComments` for those posts (again folded 25 per `execute`), newest first, paging
 *    and opening long threads only until the count delta is accounted for; `extended: 1` brings
 *    the authors' names (profiles, groups) in the same answers, so names cost no request;
 * 4. per community, one `InboundSink.ingestBatch(messages, cursors)`: cursors commit with messages.
 *
 * First sight of a community: a baseline. Every post's count is recorded and nothing is ingested,
 * so the bot never answers months-old comments when it is switched on. Later, a post created
 * after the baseline is new and all its comments are new; an older post that appears in the window
 * (a newer post was deleted) gets a baseline of its own. Comments older than a post's baseline
 * are never ingested. A community or post that fails is reported and retried next cycle, the
 * others go on. Known blind spot (VK gives nothing better): a deletion and a new comment between
 * two polls leave the count unchanged; Bots Long Poll (`wall_reply_new`) covers that for
 * communities whose token we hold.
 */
export class VkWallPoller {
  private readonly cursors: CursorStore;
  private readonly secrets: string[];

  constructor(private readonly deps: VkWallPollerDeps) {
    this.cursors = deps.cursors;
    this.secrets = secretValues(deps.config);
  }

  private get useExecute(): boolean {
    return (this.deps.readerKind ?? this.deps.config.secrets.vkReader?.kind ?? 'service') === 'user';
  }

  /** One cycle over every watched community. Never throws for VK's sake: failures are in the report. */
  async pollOnce(): Promise<PollReport> {
    const { config, logger } = this.deps;
    const log = logger.child({ channel: VK_WALL_CHANNEL });
    const batcher = new VkBatcher(this.deps.api, this.useExecute, this.secrets);
    const communities = config.vk.communities.filter((c) => c.watchWall);
    const report: PollReport = { requests: 0, communities: communities.length, postsChecked: 0, postsFetched: 0, newComments: 0, deferredPosts: 0, errors: [] };
    if (communities.length === 0) return report;

    // 0. The posts' cursors as they are before the walls are read: the delivery may count a reply
    // of the community's own into a cursor meanwhile, one the counts read next may not hold yet.
    const snapshots = new Map(communities.map((c) => [c.groupId, this.cursors.list<WallCursor>(wallCursorPrefix(c.groupId))]));

    // 1. Every wall. What was written a margin before the request is surely in the counts it answers.
    const countedBefore = this.deps.clock() - COUNT_CLOCK_MARGIN_MS;
    const walls = await batcher.run(communities.map((c) => ({ method: 'wall.get', params: { owner_id: -c.groupId, count: config.vk.postsPerCommunity } })));
    const countedAt = this.deps.clock();

    // 2. Which posts grew.
    const searches = new Map<number, PostSearch[]>();
    const cursorUpdates = new Map<number, CursorUpdate[]>();
    communities.forEach((community, i) => {
      const groupId = community.groupId;
      const wall = walls[i]!;
      if (!wall.ok) return this.recordError(report, log, groupId, undefined, wall.error);
      const posts = this.readPosts(wall.value, groupId, log);
      if (posts === null) return this.recordShapeError(report, log, groupId, undefined, 'wall.get answered without items');
      report.postsChecked += posts.length;
      const { grown, updates } = this.planCommunity(groupId, posts, snapshots.get(groupId)!, { before: countedBefore, at: countedAt });
      searches.set(groupId, grown);
      cursorUpdates.set(groupId, updates);
    });

    // 3. Read the grown posts, all communities together, round by round.
    const failedPosts = new Set<PostSearch>();
    let active = [...searches.values()].flat();
    report.postsFetched = active.length;
    while (active.length > 0) {
      const calls = active.map((s) => s.next());
      const pending = active.filter((_, i) => calls[i] !== null);
      const pendingCalls = calls.filter((c): c is VkCall => c !== null);
      if (pending.length === 0) break;
      const results: VkCallResult[] = await batcher.run(pendingCalls);
      const still: PostSearch[] = [];
      pending.forEach((search, i) => {
        const result = results[i]!;
        if (!result.ok) {
          failedPosts.add(search);
          return this.recordError(report, log, search.groupId, search.postId, result.error);
        }
        try {
          search.accept(pendingCalls[i]!, result.value);
          still.push(search);
        } catch (error) {
          failedPosts.add(search);
          this.recordShapeError(report, log, search.groupId, search.postId, error instanceof Error ? error.message : String(error));
        }
      });
      active = still;
    }

    // 4. Hand over, one transaction per community.
    for (const community of communities) {
      const groupId = community.groupId;
      const done = (searches.get(groupId) ?? []).filter((s) => !failedPosts.has(s));
      for (const s of done) if (!s.deferred) s.settle();
      const messages = done.flatMap((s) => s.found);
      const updates = [...(cursorUpdates.get(groupId) ?? []), ...done.map((s) => ({ key: wallCursorKey(groupId, s.postId), value: s.result() }))];
      for (const s of done) {
        for (const reason of s.skipped) log.warn({ groupId, postId: s.postId, reason }, 'VK comment skipped');
        if (s.deferred) {
          report.deferredPosts += 1;
          log.warn(
            { groupId, postId: s.postId, calls: s.calls },
            'VK post has more new comments than one cycle reads; its cursor stays and the next cycles read on',
          );
        }
      }
      if (messages.length === 0 && updates.length === 0) continue;
      try {
        this.deps.sink.ingestBatch(messages, updates);
        report.newComments += messages.length;
      } catch (error) {
        log.error({ err: error, groupId }, 'ingesting VK comments failed; they will be read again');
        report.errors.push({ groupId, kind: 'retry', message: `ingest failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }

    report.requests = batcher.requests;
    if (report.deferredPosts > 0) this.deps.observer?.wallPostsDeferred(report.deferredPosts);
    const status = this.deps.status;
    if (status) {
      const fatal = report.errors.find((e) => e.kind === 'fatal');
      if (fatal) status.stopped(VK_WALL_CHANNEL, fatal.message);
      else if (report.errors.length > 0 && report.errors.length >= communities.length) status.failure(VK_WALL_CHANNEL, report.errors[0]!.message);
      else status.success(VK_WALL_CHANNEL);
    }
    log.debug({ ...report, errors: report.errors.length }, 'VK walls polled');
    return report;
  }

  /** Posts of a wall.get answer; null when the answer has no items at all. Broken posts are skipped. */
  private readPosts(value: unknown, groupId: number, log: Logger): RawPost[] | null {
    if (!isObj(value) || !Array.isArray(value.items)) return null;
    const posts: RawPost[] = [];
    for (const item of (value.items as unknown[]).slice(0, this.deps.config.vk.postsPerCommunity)) {
      if (!isObj(item) || !isPositiveInt(item.id) || !isPositiveInt(item.date)) {
        log.warn({ groupId }, 'VK post skipped: id or date missing');
        continue;
      }
      const comments = isObj(item.comments) ? item.comments.count : 0;
      if (!isCount(comments)) {
        log.warn({ groupId, postId: item.id }, 'VK post skipped: comments.count is not a count');
        continue;
      }
      posts.push({ id: item.id, date: item.date, commentsCount: comments });
    }
    return posts;
  }

  /** Decide per post: nothing to do, record a baseline, or search for new comments. */
  private planCommunity(
    groupId: number,
    posts: RawPost[],
    cursors: ReadonlyMap<string, WallCursor>,
    counted: { before: number; at: number },
  ): { grown: PostSearch[]; updates: CursorUpdate[] } {
    const now = this.deps.clock();
    const nowSeconds = Math.floor(now / 1000);
    const baseline = this.cursors.get<{ at: number }>(wallBaselineKey(groupId));
    const updates: CursorUpdate[] = [];
    const grown: PostSearch[] = [];
    if (!baseline) updates.push({ key: wallBaselineKey(groupId), value: { at: now } });
    for (const post of posts) {
      const key = wallCursorKey(groupId, post.id);
      let cursor = cursors.get(key);
      if (!cursor) {
        const createdWhileWatched = baseline !== undefined && post.date * 1000 >= baseline.at;
        // A post with no comments yet has no history to skip: without `since`, a comment written in
        // the very second of the baseline (dates are whole seconds) is still new, not lost.
        if (!createdWhileWatched && post.commentsCount > 0) {
          updates.push({ key, value: { count: post.commentsCount, maxCommentId: 0, since: nowSeconds, countedAt: counted.at } satisfies WallCursor });
          continue;
        }
        if (!createdWhileWatched) {
          updates.push({ key, value: { count: 0, maxCommentId: 0, countedAt: counted.at } satisfies WallCursor });
          continue;
        }
        cursor = { count: 0, maxCommentId: 0 };
      }
      if (post.commentsCount > cursor.count) grown.push(new PostSearch(groupId, post.id, cursor, post.commentsCount, counted));
      else if (post.commentsCount < cursor.count) updates.push({ key, value: { ...cursor, count: post.commentsCount, countedAt: counted.at } });
    }
    return { grown, updates };
  }

  private recordError(report: PollReport, log: Logger, groupId: number, postId: number | undefined, error: ApiError | HttpError): void {
    const kind = classifyVkError(error).kind;
    report.errors.push({ groupId, ...(postId !== undefined ? { postId } : {}), kind, message: error.message });
    const line = kind === 'fatal' ? 'VK reader token cannot read walls: fix the token' : 'VK wall read failed; retried next cycle';
    log[kind === 'fatal' ? 'error' : 'warn']({ groupId, postId, kind, err: error.message }, line);
  }

  private recordShapeError(report: PollReport, log: Logger, groupId: number, postId: number | undefined, message: string): void {
    report.errors.push({ groupId, ...(postId !== undefined ? { postId } : {}), kind: 'retry', message });
    log.warn({ groupId, postId, reason: message }, 'VK answer of an unexpected shape; retried next cycle');
  }
}
