import type { Prng } from '../prng.js';
import type { VkLongPoll } from './vk-long-poll.js';
import { type VkAttachmentSpec, type VkGeoSpec, VkMedia } from './vk-media.js';

// === Stored objects

export interface VkCommunity {
  id: number;
  name: string;
  screenName: string;
  token: string;
}

export type VkCaller = { type: 'user'; userId: number } | { type: 'group'; groupId: number } | { type: 'service' };

export interface VkUser {
  id: number;
  firstName: string;
  lastName: string;
}

export interface VkPost {
  id: number;
  ownerId: number;
  fromId: number;
  date: number;
  text: string;
  guid?: string;
}

export interface VkComment {
  id: number;
  ownerId: number;
  postId: number;
  fromId: number;
  date: number;
  text: string;
  /** Top-level comment of the thread this reply belongs to; undefined for top-level comments. */
  threadRootId?: number;
  replyToComment?: number;
  replyToUser?: number;
  guid?: string;
  /** Wire objects (wall_wallpost_attachment). */
  attachments?: Record<string, unknown>[];
}

export interface VkDialogMessage {
  id: number;
  groupId: number;
  peerId: number;
  fromId: number;
  date: number;
  text: string;
  out: 0 | 1;
  conversationMessageId: number;
  randomId?: number;
  keyboard?: unknown;
  replyTo?: number;
  /** Wire objects (messages_message_attachment). */
  attachments?: Record<string, unknown>[];
  /** base_geo, when the citizen sent a location. */
  geo?: Record<string, unknown>;
}

// === What the bot did (read by tests through Emulator.sent())

export interface SentVkComment {
  ownerId: number;
  postId: number;
  commentId: number;
  fromId: number;
  replyToComment?: number;
  guid?: string;
  text: string;
  date: number;
}

export interface SentVkMessage {
  groupId: number;
  peerId: number;
  messageId: number;
  randomId: number;
  text: string;
  keyboard?: unknown;
  replyTo?: number;
  date: number;
}

export interface SentVkWallPost {
  ownerId: number;
  postId: number;
  fromId: number;
  guid?: string;
  text: string;
  date: number;
}

/** Raised by state operations; turned into a VK error object by the API layer. */
export class VkApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'VkApiError';
  }
}

export const paramError = (detail: string): VkApiError => new VkApiError(100, `One of the parameters specified was missing or invalid: ${detail}`);

/**
 * Everything the VK side holds: communities and tokens, users, walls (posts and
 * comments sharing one id sequence per owner, as on VK) and community dialogs.
 * New comments and incoming dialog messages are pushed to the Bots Long Poll.
 */
export class VkState {
  readonly communities = new Map<number, VkCommunity>();
  readonly tokens = new Map<string, VkCaller>();
  readonly users = new Map<number, VkUser>();
  private readonly posts = new Map<number, VkPost[]>();
  private readonly comments = new Map<number, VkComment[]>();
  private readonly wallSeq = new Map<number, number>();
  private readonly messages = new Map<number, VkDialogMessage[]>();
  private readonly conversationSeq = new Map<string, number>();
  private nextUserId = 100_000_001;

  readonly sentComments: SentVkComment[] = [];
  readonly sentMessages: SentVkMessage[] = [];
  readonly sentWallPosts: SentVkWallPost[] = [];

  /** Citizens' photos and documents, served under /vk-files/. */
  readonly media: VkMedia;

  constructor(
    private readonly prng: Prng,
    private readonly clock: () => number,
    private readonly longPoll: VkLongPoll,
    baseUrl: () => string = () => 'http://127.0.0.1',
  ) {
    this.media = new VkMedia(prng, baseUrl);
  }

  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  // === Set-up

  addCommunity(opts: { groupId: number; name: string; screenName?: string; token?: string }): { communityToken: string } {
    if (!Number.isInteger(opts.groupId) || opts.groupId <= 0) throw new Error('groupId must be a positive integer');
    if (this.communities.has(opts.groupId)) throw new Error(`community ${opts.groupId} already exists`);
    const token = opts.token ?? `vk1.a.group${opts.groupId}.${this.prng.hex(40)}`;
    this.communities.set(opts.groupId, {
      id: opts.groupId,
      name: opts.name,
      screenName: opts.screenName ?? `club${opts.groupId}`,
      token,
    });
    this.tokens.set(token, { type: 'group', groupId: opts.groupId });
    return { communityToken: token };
  }

  addUserToken(opts: { userId?: number; token?: string } = {}): { token: string; userId: number } {
    const userId = opts.userId ?? this.nextUserId++;
    this.ensureUser(userId);
    const token = opts.token ?? `vk1.a.user${userId}.${this.prng.hex(40)}`;
    this.tokens.set(token, { type: 'user', userId });
    return { token, userId };
  }

  addServiceToken(opts: { token?: string } = {}): { token: string } {
    const token = opts.token ?? `service.${this.prng.hex(48)}`;
    this.tokens.set(token, { type: 'service' });
    return { token };
  }

  addUser(opts: { id: number; firstName: string; lastName: string }): void {
    this.users.set(opts.id, { id: opts.id, firstName: opts.firstName, lastName: opts.lastName });
  }

  /** Unknown authors get a placeholder profile, so scripted streams need no set-up per user. */
  ensureUser(id: number): void {
    if (id > 0 && !this.users.has(id)) this.users.set(id, { id, firstName: `User${id}`, lastName: 'Test' });
  }

  community(groupId: number): VkCommunity {
    const community = this.communities.get(groupId);
    if (!community) throw new Error(`unknown community ${groupId}`);
    return community;
  }

  // === Walls

  private nextWallId(ownerId: number): number {
    const id = (this.wallSeq.get(ownerId) ?? 0) + 1;
    this.wallSeq.set(ownerId, id);
    return id;
  }

  postsOf(ownerId: number): VkPost[] {
    return this.posts.get(ownerId) ?? [];
  }

  commentsOf(ownerId: number, postId: number): VkComment[] {
    return (this.comments.get(ownerId) ?? []).filter((c) => c.postId === postId);
  }

  findPost(ownerId: number, postId: number): VkPost | undefined {
    return this.postsOf(ownerId).find((p) => p.id === postId);
  }

  createPost(opts: { ownerId: number; fromId: number; text: string; date?: number; guid?: string }): VkPost {
    if (opts.guid !== undefined) {
      const existing = this.postsOf(opts.ownerId).find((p) => p.guid === opts.guid);
      if (existing) return existing;
    }
    const post: VkPost = {
      id: this.nextWallId(opts.ownerId),
      ownerId: opts.ownerId,
      fromId: opts.fromId,
      date: opts.date ?? this.now(),
      text: opts.text,
      ...(opts.guid !== undefined ? { guid: opts.guid } : {}),
    };
    const list = this.posts.get(opts.ownerId) ?? [];
    list.push(post);
    this.posts.set(opts.ownerId, list);
    return post;
  }

  /**
   * Adds a comment (or a thread reply) and pushes `wall_reply_new` to the owner
   * community's long poll. With a `guid` already used on the post, returns the
   * first comment and changes nothing.
   */
  createComment(opts: {
    ownerId: number;
    postId: number;
    fromId: number;
    text: string;
    replyToComment?: number;
    date?: number;
    guid?: string;
    attachments?: VkAttachmentSpec[];
  }): { comment: VkComment; created: boolean } {
    if (!this.findPost(opts.ownerId, opts.postId)) throw paramError('post_id is invalid');
    const siblings = this.commentsOf(opts.ownerId, opts.postId);
    if (opts.guid !== undefined) {
      const existing = siblings.find((c) => c.guid === opts.guid);
      if (existing) return { comment: existing, created: false };
    }
    let threadRootId: number | undefined;
    let replyToUser: number | undefined;
    if (opts.replyToComment !== undefined) {
      const parent = siblings.find((c) => c.id === opts.replyToComment);
      if (!parent) throw paramError('reply_to_comment is invalid');
      threadRootId = parent.threadRootId ?? parent.id;
      replyToUser = parent.fromId;
    }
    this.ensureUser(opts.fromId);
    const date = opts.date ?? this.now();
    const attachments = this.media.attachments(opts.attachments, opts.fromId, date);
    const comment: VkComment = {
      id: this.nextWallId(opts.ownerId),
      ownerId: opts.ownerId,
      postId: opts.postId,
      fromId: opts.fromId,
      date,
      text: opts.text,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(threadRootId !== undefined ? { threadRootId, replyToComment: opts.replyToComment, replyToUser } : {}),
      ...(opts.guid !== undefined ? { guid: opts.guid } : {}),
    };
    const list = this.comments.get(opts.ownerId) ?? [];
    list.push(comment);
    this.comments.set(opts.ownerId, list);
    if (opts.ownerId < 0 && this.communities.has(-opts.ownerId)) {
      this.longPoll.emit(-opts.ownerId, 'wall_reply_new', {
        ...commentObject(comment),
        post_owner_id: comment.ownerId,
      });
    }
    return { comment, created: true };
  }

  // === Community dialogs

  messagesOf(groupId: number): VkDialogMessage[] {
    return this.messages.get(groupId) ?? [];
  }

  private addMessage(message: Omit<VkDialogMessage, 'id' | 'conversationMessageId'>): VkDialogMessage {
    const list = this.messages.get(message.groupId) ?? [];
    const key = `${message.groupId}:${message.peerId}`;
    const conversationMessageId = (this.conversationSeq.get(key) ?? 0) + 1;
    this.conversationSeq.set(key, conversationMessageId);
    const stored: VkDialogMessage = { ...message, id: list.length + 1, conversationMessageId };
    list.push(stored);
    this.messages.set(message.groupId, list);
    return stored;
  }

  /** A citizen writes to the community; pushes `message_new`. peer_id = fromId (a private dialog). The text may be empty (with attachments or a location, or as hostile input). */
  receiveMessage(opts: { groupId: number; fromId: number; text?: string; date?: number; attachments?: VkAttachmentSpec[]; geo?: VkGeoSpec }): VkDialogMessage {
    this.community(opts.groupId);
    this.ensureUser(opts.fromId);
    const date = opts.date ?? this.now();
    const text = opts.text ?? '';
    if (typeof text !== 'string') throw new Error('text must be a string');
    const attachments = this.media.attachments(opts.attachments, opts.fromId, date);
    const geo = this.media.geo(opts.geo);
    const message = this.addMessage({
      groupId: opts.groupId,
      peerId: opts.fromId,
      fromId: opts.fromId,
      date,
      text,
      out: 0,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(geo ? { geo } : {}),
    });
    this.longPoll.emit(opts.groupId, 'message_new', {
      message: messageObject(message),
      client_info: {
        button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'],
        keyboard: true,
        inline_keyboard: true,
        carousel: true,
        lang_id: 0,
      },
    });
    return message;
  }

  /**
   * The community answers. A non-zero `random_id` already used for this peer returns
   * the first message id and sends nothing. VK only lets a community write to users
   * who wrote to it first (error 901).
   */
  sendMessage(opts: { groupId: number; peerId: number; randomId: number; text: string; keyboard?: unknown; replyTo?: number }): number {
    const dialog = this.messagesOf(opts.groupId);
    if (opts.randomId !== 0) {
      const existing = dialog.find((m) => m.out === 1 && m.peerId === opts.peerId && m.randomId === opts.randomId);
      if (existing) return existing.id;
    }
    if (!dialog.some((m) => m.out === 0 && m.peerId === opts.peerId)) {
      throw new VkApiError(901, "Can't send messages for users without permission");
    }
    if (opts.replyTo !== undefined && !dialog.some((m) => m.id === opts.replyTo && m.peerId === opts.peerId)) {
      throw paramError('reply_to is invalid');
    }
    const message = this.addMessage({
      groupId: opts.groupId,
      peerId: opts.peerId,
      fromId: -opts.groupId,
      date: this.now(),
      text: opts.text,
      out: 1,
      randomId: opts.randomId,
      ...(opts.keyboard !== undefined ? { keyboard: opts.keyboard } : {}),
      ...(opts.replyTo !== undefined ? { replyTo: opts.replyTo } : {}),
    });
    this.sentMessages.push({
      groupId: opts.groupId,
      peerId: opts.peerId,
      messageId: message.id,
      randomId: opts.randomId,
      text: opts.text,
      date: message.date,
      ...(opts.keyboard !== undefined ? { keyboard: opts.keyboard } : {}),
      ...(opts.replyTo !== undefined ? { replyTo: opts.replyTo } : {}),
    });
    return message.id;
  }
}

// === Wire shapes (VK API 5.199)

export function commentObject(c: VkComment): Record<string, unknown> {
  return {
    id: c.id,
    from_id: c.fromId,
    date: c.date,
    text: c.text,
    post_id: c.postId,
    owner_id: c.ownerId,
    parents_stack: c.threadRootId !== undefined ? [c.threadRootId] : [],
    ...(c.replyToComment !== undefined ? { reply_to_comment: c.replyToComment, reply_to_user: c.replyToUser } : {}),
    ...(c.attachments ? { attachments: c.attachments } : {}),
  };
}

export function messageObject(m: VkDialogMessage): Record<string, unknown> {
  return {
    id: m.id,
    date: m.date,
    peer_id: m.peerId,
    from_id: m.fromId,
    text: m.text,
    conversation_message_id: m.conversationMessageId,
    out: m.out,
    version: m.id,
    attachments: m.attachments ?? [],
    ...(m.geo ? { geo: m.geo } : {}),
    fwd_messages: [],
    important: false,
    is_hidden: false,
    ...(m.randomId !== undefined ? { random_id: m.randomId } : {}),
  };
}
