/**
 * What the wall poller remembers about one post, in `poll_cursors` under `vkwall:<groupId>:<postId>`.
 * Written only together with the messages it covers (InboundSink.ingestBatch) or, for our own
 * replies, in the outbox's `complete` transaction.
 */
export interface WallCursor {
  /** `comments.count` of the post (comments and thread replies) when last looked at. */
  count: number;
  /** The newest comment id seen under the post; comment ids only grow. 0: none seen. */
  maxCommentId: number;
  /**
   * Unix seconds of the baseline: comments older than this were there before the bot watched
   * the post and are never answered. Absent for posts created while the bot watched.
   */
  since?: number;
  /** Ids of the community's own replies already counted in `count` (posted by the outbox). */
  own?: number[];
  /**
   * Long threads (more replies than `wall.getComments` shows inline), by root comment id: the
   * `thread.count` when the thread was last read to its end, so only threads that grew are opened
   * again; during a deferred search also `fresh`, its new replies already counted.
   */
  threads?: Record<string, { count: number; fresh?: number }>;
  /**
   * Set while a search of the post is deferred (its new comments did not fit a cycle's request
   * budget): the newest comment id seen so far. `count` and `maxCommentId` then stay where the
   * search began, so nothing unread is taken for old.
   */
  deferredMaxSeen?: number;
  /**
   * Comments above `maxCommentId` already handed over: written while a search ran, after the count
   * it looked for, so the cursor could not move past them. The next search counts them without
   * handing them over again.
   */
  handed?: number[];
  /**
   * Epoch ms (our clock) when `count` was read from VK. A reply of the community's queued after it
   * is surely not in `count`; one queued before may be.
   */
  countedAt?: number;
}

export const wallCursorKey = (groupId: number, postId: number): string => `vkwall:${groupId}:${postId}`;

/** What every post cursor of one community starts with (CursorStore.list). */
export const wallCursorPrefix = (groupId: number): string => `vkwall:${groupId}:`;

/** Set once per community, when its wall was first looked at: `{ at: epoch ms }`. */
export const wallBaselineKey = (groupId: number): string => `vkwallbase:${groupId}`;

/** At most this many own comment ids are remembered per post. */
const MAX_OWN = 50;

/**
 * The cursor after the community itself commented `commentId` under the post, for a reply queued
 * at `queuedAt`: one more comment that is already accounted for, so the poller spends no request
 * on it. Only a reply queued after the cursor's count was read is surely not in that count (a
 * retried send may return a comment made before): otherwise, and when the poller has already seen
 * past it, the cursor is unchanged — counting a comment twice would end a search before a citizen's
 * comment is found.
 */
export function cursorAfterOwnComment(cursor: WallCursor | undefined, commentId: number, queuedAt: number): WallCursor | undefined {
  if (!cursor || commentId <= cursor.maxCommentId || cursor.own?.includes(commentId)) return undefined;
  if (cursor.countedAt === undefined || queuedAt <= cursor.countedAt) return undefined;
  return { ...cursor, count: cursor.count + 1, own: [...(cursor.own ?? []), commentId].slice(-MAX_OWN) };
}
