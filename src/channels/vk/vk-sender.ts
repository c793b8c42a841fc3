import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import { externalId, parseExternalId } from '../../domain/external-id.js';
import type { OutboundMessage } from '../../domain/outbound.js';
import { ApiError, type FailureClass } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import { EXECUTE_MAX_CALLS } from './vk-batch.js';
import { classifyVkError, MalformedResponseError, wrapVkError } from './vk-errors.js';
import { vkRandomId } from './vk-random-id.js';
import { cursorAfterOwnComment, type WallCursor, wallCursorKey } from './vk-wall-cursor.js';

export interface VkSenderDeps {
  config: Config;
  logger: Logger;
  /** Community token APIs by group id: comments and messages are sent as the community. */
  communityApis: ReadonlyMap<number, API>;
  /** The reader's user token API, for announcements (`wall.post` needs a user token). */
  readerApi: API | null;
  /** The wall poller's cursors: a delivered comment of ours is counted in its post's cursor. Without it, none is. */
  cursors?: CursorStore;
}

/**
 * Sends to VK. Every call carries the outbox idempotency key so a retry after a lost answer never
 * posts twice: `guid` for wall.createComment and wall.post, `random_id` (a hash of the key) for
 * messages.send. Throws ApiError / HttpError only; `classify` says what each means.
 * The external id returned: `<ownerId>_<commentId>`, `<groupId>_<messageId>`, `<ownerId>_<postId>`.
 */
export class VkSender {
  private readonly secrets: string[];
  /** A community token's sends wait together and vk-io folds them into one `execute`. */
  readonly sendsPerRequest = EXECUTE_MAX_CALLS;

  constructor(private readonly deps: VkSenderDeps) {
    this.secrets = secretValues(deps.config);
  }

  /** Our reply under a VK post is one more comment the poller need not fetch. */
  recordDelivered(message: OutboundMessage, externalId: string | null, now: number, queuedAt: number): void {
    const d = message.destination;
    if (d.kind !== 'vk_comment' || !externalId || !this.deps.cursors) return;
    const commentId = parseExternalId(externalId)?.id ?? 0;
    if (commentId <= 0) return;
    const key = wallCursorKey(d.groupId, d.postId);
    const next = cursorAfterOwnComment(this.deps.cursors.get<WallCursor>(key), commentId, queuedAt);
    if (next) this.deps.cursors.set(key, next, now);
  }

  async send(message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }> {
    const d = message.destination;
    // A VK photo needs the upload-server round trip; the outbox sends photos to Telegram only.
    if (message.photo || message.media?.length) throw new ApiError('vk', 'send', 100, 'photos are delivered to Telegram only');
    switch (d.kind) {
      case 'vk_comment': {
        const answer = await this.call(this.community(d.groupId, 'wall.createComment'), 'wall.createComment', {
          owner_id: -d.groupId,
          post_id: d.postId,
          reply_to_comment: d.replyToCommentId,
          from_group: d.groupId,
          message: message.text,
          guid: idempotencyKey,
        });
        return { externalId: externalId(-d.groupId, this.positive(answer, 'comment_id', 'wall.createComment')) };
      }
      case 'vk_message': {
        const answer = await this.call(this.community(d.groupId, 'messages.send'), 'messages.send', {
          peer_id: d.peerId,
          random_id: vkRandomId(idempotencyKey),
          message: message.text,
          ...(d.replyToMessageId !== undefined ? { reply_to: d.replyToMessageId } : {}),
        });
        const id = typeof answer === 'number' ? answer : Array.isArray(answer) ? (answer[0] as { message_id?: unknown } | undefined)?.message_id : undefined;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
          throw wrapVkError('messages.send', new MalformedResponseError('messages.send answered without a message id'));
        }
        return { externalId: externalId(d.groupId, id) };
      }
      case 'vk_wall_post': {
        const api = this.deps.readerApi;
        if (!api || this.deps.config.secrets.vkReader?.kind !== 'user') {
          throw new ApiError('vk', 'wall.post', 15, 'announcements need a VK user token (VK_USER_TOKEN) of a community admin');
        }
        const answer = await this.call(api, 'wall.post', { owner_id: -d.groupId, from_group: 1, message: message.text, guid: idempotencyKey });
        return { externalId: externalId(-d.groupId, this.positive(answer, 'post_id', 'wall.post')) };
      }
      default:
        throw new ApiError('vk', 'send', 100, `VK cannot deliver to ${d.kind}`);
    }
  }

  classify(error: unknown): FailureClass {
    return classifyVkError(wrapVkError('send', error, this.secrets));
  }

  private community(groupId: number, method: string): API {
    const api = this.deps.communityApis.get(groupId);
    if (!api) throw new ApiError('vk', method, 15, `no community token for group ${groupId}`);
    return api;
  }

  private async call(api: API, method: string, params: Record<string, unknown>): Promise<unknown> {
    try {
      return await api.call(method, params);
    } catch (error) {
      throw wrapVkError(method, error, this.secrets);
    }
  }

  private positive(answer: unknown, field: string, method: string): number {
    const value = (answer as Record<string, unknown> | null)?.[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw wrapVkError(method, new MalformedResponseError(`${method} answered without ${field}`));
    }
    return value;
  }
}
