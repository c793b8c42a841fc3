import type { Logger } from 'pino';
import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { secretValues } from '../../config.js';
import type { OutboundMessage } from '../../domain/outbound.js';
import { ApiError, type FailureClass } from '../../errors.js';
import { MalformedResponseError, classifyVkError, wrapVkError } from './vk-errors.js';
import { vkRandomId } from './vk-random-id.js';

export interface VkSenderDeps {
  config: Config;
  logger: Logger;
  /** Community token APIs by group id: comments and messages are sent as the community. */
  communityApis: ReadonlyMap<number, API>;
  /** The reader's user token API, for announcements (`wall.post` needs a user token). */
  readerApi: API | null;
}

/**
 * Sends to VK. Every call carries the outbox idempotency key so a retry after a lost answer never
 * posts twice: `guid` for wall.createComment and wall.post, `random_id` (a hash of the key) for
 * messages.send. Throws ApiError / HttpError only; `classify` says what each means.
 * The external id returned: `<ownerId>_<commentId>`, `<groupId>_<messageId>`, `<ownerId>_<postId>`.
 */
export class VkSender {
  private readonly secrets: string[];

  constructor(private readonly deps: VkSenderDeps) {
    this.secrets = secretValues(deps.config);
  }

  async send(message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }> {
    const d = message.destination;
    // A VK photo needs the upload-server round trip; the outbox sends photos to Telegram only.
    if (message.photo) throw new ApiError('vk', 'send', 100, 'photos are delivered to Telegram only');
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
        return { externalId: `${-d.groupId}_${this.positive(answer, 'comment_id', 'wall.createComment')}` };
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
        return { externalId: `${d.groupId}_${id}` };
      }
      case 'vk_wall_post': {
        const api = this.deps.readerApi;
        if (!api || this.deps.config.secrets.vkReader?.kind !== 'user') {
          throw new ApiError('vk', 'wall.post', 15, 'announcements need a VK user token (VK_USER_TOKEN) of a community admin');
        }
        const answer = await this.call(api, 'wall.post', { owner_id: -d.groupId, from_group: 1, message: message.text, guid: idempotencyKey });
        return { externalId: `${-d.groupId}_${this.positive(answer, 'post_id', 'wall.post')}` };
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

