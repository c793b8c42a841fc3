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
}

export const wallCursorKey = (groupId: number, postId: number): string => `vkwall:${groupId}:${postId}`;

/** Set once per community, when its wall was first looked at: `{ at: epoch ms }`. */
export const wallBaselineKey = (groupId: number): string => `vkwallbase:${groupId}`;

/** At most this many own comment ids are remembered per post. */
const MAX_OWN = 50;

/**
 * The cursor after the community itself commented `commentId` under the post: one more comment
 * that is already accounted for. Unchanged when the poller has already seen past it, so a poll
 * racing with delivery never loses a citizen's comment.
 */
export function cursorAfterOwnComment(cursor: WallCursor | undefined, commentId: number): WallCursor | undefined {
  if (!cursor || commentId <= cursor.maxCommentId || cursor.own?.includes(commentId)) return undefined;
  return { ...cursor, count: cursor.count + 1, own: [...(cursor.own ?? []), commentId].slice(-MAX_OWN) };
}
