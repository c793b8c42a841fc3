import { readBool, readInt, readString } from '../http/http-util.js';
import type { VkLongPoll } from './vk-long-poll.js';
import {
  commentObject,
  messageObject,
  paramError,
  VkApiError,
  type VkCaller,
  type VkComment,
  type VkDialogMessage,
  type VkPost,
  type VkState,
  type VkUser,
} from './vk-state.js';

export type VkTokenType = VkCaller['type'];

export interface VkCallContext {
  state: VkState;
  longPoll: VkLongPoll;
  caller: VkCaller;
  /** Base URL of the emulator, for the long poll `server` address. */
  baseUrl: string;
}

interface VkMethod {
  /** Token types the method accepts, as in VK's schema (`access_token_type` in methods.json). */
  tokenTypes: readonly VkTokenType[];
  run(ctx: VkCallContext, params: Record<string, unknown>): unknown;
}

/** VK's own wording for the errors the emulator returns; every code exists in VK's errors.json. */
export const VK_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  10: 'Internal server error',
  12: 'Unable to compile code',
  13: 'Runtime error occurred during code invocation',
  15: 'Access denied',
  27: 'Group authorization failed: method is unavailable with group auth.',
  28: 'Application authorization failed: method is unavailable with service token.',
  100: 'One of the parameters specified was missing or invalid',
  113: 'Invalid user id',
  901: "Can't send messages for users without permission",
  911: 'Keyboard format is invalid',
  914: 'Message is too long',
};

export const vkError = (code: number, detail?: string): VkApiError => new VkApiError(code, detail ?? VK_ERROR_MESSAGES[code] ?? `Error ${code}`);

// === Parameter helpers

function int(params: Record<string, unknown>, name: string): number | undefined {
  const n = readInt(params, name);
  if (Number.isNaN(n)) throw paramError(`${name} not integer`);
  return n;
}

function requiredInt(params: Record<string, unknown>, name: string): number {
  const n = int(params, name);
  if (n === undefined) throw paramError(`${name} is a required parameter`);
  return n;
}

function clamp(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  return Math.max(0, Math.min(value, max));
}

function idList(params: Record<string, unknown>, name: string): string[] {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return [];
  const parts = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Cuts text the way `preview_length` asks: a positive N keeps the first N characters, 0 keeps all. */
function preview(text: string, length: number): string {
  if (length <= 0) return text;
  const chars = Array.from(text);
  return chars.length <= length ? text : chars.slice(0, length).join('');
}

function requireOwnCommunity(ctx: VkCallContext, groupId: number): void {
  if (ctx.caller.type === 'group' && ctx.caller.groupId !== groupId) {
    throw vkError(15, 'Access denied: no access to this group');
  }
  if (!ctx.state.communities.has(groupId)) throw paramError('group_id is invalid');
}

// === Wire shapes

function postObject(state: VkState, post: VkPost): Record<string, unknown> {
  return {
    inner_type: 'wall_wallpost',
    id: post.id,
    owner_id: post.ownerId,
    from_id: post.fromId,
    date: post.date,
    text: post.text,
    post_type: 'post',
    attachments: [],
    comments: { count: state.commentsOf(post.ownerId, post.id).length, can_post: 1, groups_can_post: true },
    likes: { count: 0, user_likes: 0, can_like: 1, can_publish: 1 },
    reposts: { count: 0, user_reposted: 0 },
  };
}

function threadObject(replies: VkComment[], itemsCount: number, previewLength: number): Record<string, unknown> {
  return {
    count: replies.length,
    items: replies.slice(0, itemsCount).map((r) => ({ ...commentObject(r), text: preview(r.text, previewLength) })),
    can_post: true,
    show_reply_button: true,
    groups_can_post: true,
  };
}

function communityObject(state: VkState, groupId: number): Record<string, unknown> {
  const c = state.community(groupId);
  return {
    id: c.id,
    name: c.name,
    screen_name: c.screenName,
    is_closed: 0,
    type: 'page',
    photo_50: `https://vk.invalid/images/community_50.png`,
    photo_100: `https://vk.invalid/images/community_100.png`,
    photo_200: `https://vk.invalid/images/community_200.png`,
  };
}

function userObject(user: VkUser): Record<string, unknown> {
  return { id: user.id, first_name: user.firstName, last_name: user.lastName, can_access_closed: true, is_closed: false };
}

/**
 * `profiles` and `groups` of an extended answer: every author of `comments` once, people by
 * id and communities by group id, in order of first appearance, as VK lists them.
 */
function authorsOf(state: VkState, comments: readonly VkComment[]): { profiles: Record<string, unknown>[]; groups: Record<string, unknown>[] } {
  const ids = [...new Set(comments.map((c) => c.fromId))];
  const profiles = ids.flatMap((id) => {
    const user = id > 0 ? state.users.get(id) : undefined;
    return user ? [userObject(user)] : [];
  });
  const groups = ids.flatMap((id) => (id < 0 && state.communities.has(-id) ? [communityObject(state, -id)] : []));
  return { profiles, groups };
}

// === Methods

function wallGet(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  let ownerId = int(params, 'owner_id');
  const domain = readString(params, 'domain');
  if (ownerId === undefined && domain !== undefined) {
    const community = [...ctx.state.communities.values()].find((c) => c.screenName === domain);
    if (!community) throw paramError('domain is invalid');
    ownerId = -community.id;
  }
  if (ownerId === undefined) {
    if (ctx.caller.type !== 'user') throw paramError('owner_id is a required parameter');
    ownerId = ctx.caller.userId;
  }
  if (ownerId < 0 && !ctx.state.communities.has(-ownerId)) throw paramError('owner_id is invalid');
  const filter = readString(params, 'filter') ?? 'all';
  const posts = ctx.state
    .postsOf(ownerId)
    .filter((p) => (filter === 'owner' ? p.fromId === ownerId : filter === 'others' ? p.fromId !== ownerId : true))
    .slice()
    .reverse();
  const offset = clamp(int(params, 'offset'), 0, Number.MAX_SAFE_INTEGER);
  const count = clamp(int(params, 'count'), 20, 100);
  return { count: posts.length, items: posts.slice(offset, offset + count).map((p) => postObject(ctx.state, p)) };
}

function wallGetComments(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const ownerId = requiredInt(params, 'owner_id');
  const postId = requiredInt(params, 'post_id');
  if (!ctx.state.findPost(ownerId, postId)) throw paramError('post_id is invalid');
  const all = ctx.state.commentsOf(ownerId, postId);
  const commentId = int(params, 'comment_id');
  // VK's documented default: text is cut to 90 characters unless preview_length=0 is passed.
  const previewLength = clamp(int(params, 'preview_length'), 90, Number.MAX_SAFE_INTEGER);
  const threadItems = clamp(int(params, 'thread_items_count'), 0, 10);
  const count = clamp(int(params, 'count'), 10, 100);
  const sort = readString(params, 'sort') === 'desc' ? 'desc' : 'asc';
  let level: VkComment[];
  if (commentId !== undefined) {
    const parent = all.find((c) => c.id === commentId);
    if (!parent) throw paramError('comment_id is invalid');
    level = all.filter((c) => c.threadRootId === (parent.threadRootId ?? parent.id));
  } else {
    level = all.filter((c) => c.threadRootId === undefined);
  }
  if (sort === 'desc') level = level.slice().reverse();
  const startCommentId = int(params, 'start_comment_id');
  let offset = clamp(int(params, 'offset'), 0, Number.MAX_SAFE_INTEGER);
  if (startCommentId !== undefined) {
    const index = level.findIndex((c) => (sort === 'asc' ? c.id >= startCommentId : c.id <= startCommentId));
    offset = index === -1 ? level.length : index;
  }
  const page = level.slice(offset, offset + count);
  const shown = [...page];
  const items = page.map((c) => {
    const item: Record<string, unknown> = { ...commentObject(c), text: preview(c.text, previewLength) };
    if (commentId === undefined) {
      const replies = all.filter((r) => r.threadRootId === c.id);
      shown.push(...replies.slice(0, threadItems));
      item.thread = threadObject(replies, threadItems, previewLength);
    }
    return item;
  });
  const answer: Record<string, unknown> = {
    count: commentId === undefined ? all.length : level.length,
    current_level_count: level.length,
    can_post: true,
    show_reply_button: true,
    groups_can_post: true,
    items,
  };
  // extended=1: the authors of the comments in this answer (inline thread replies included).
  if (readBool(params, 'extended')) Object.assign(answer, authorsOf(ctx.state, shown));
  return answer;
}

function wallCreateComment(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const postId = requiredInt(params, 'post_id');
  const ownerId = int(params, 'owner_id') ?? (ctx.caller.type === 'group' ? -ctx.caller.groupId : ctx.caller.type === 'user' ? ctx.caller.userId : 0);
  const message = readString(params, 'message') ?? '';
  if (message.trim() === '' && params.attachments === undefined) throw paramError('message is empty or invalid');
  let fromId: number;
  if (ctx.caller.type === 'group') {
    if (ownerId !== -ctx.caller.groupId) throw vkError(15, 'Access denied: a community can comment only on its own wall');
    fromId = ownerId;
  } else if (ctx.caller.type === 'user') {
    const fromGroup = int(params, 'from_group');
    fromId = fromGroup !== undefined && fromGroup > 0 ? -fromGroup : ctx.caller.userId;
  } else {
    throw vkError(28);
  }
  const guid = readString(params, 'guid');
  const replyTo = int(params, 'reply_to_comment');
  const { comment, created } = ctx.state.createComment({
    ownerId,
    postId,
    fromId,
    text: message,
    ...(replyTo !== undefined ? { replyToComment: replyTo } : {}),
    ...(guid !== undefined && guid !== '' ? { guid } : {}),
  });
  if (created) {
    ctx.state.sentComments.push({
      ownerId,
      postId,
      commentId: comment.id,
      fromId,
      text: message,
      date: comment.date,
      ...(replyTo !== undefined ? { replyToComment: replyTo } : {}),
      ...(comment.guid !== undefined ? { guid: comment.guid } : {}),
    });
  }
  return { comment_id: comment.id, parents_stack: comment.threadRootId !== undefined ? [comment.threadRootId] : [] };
}

function wallPost(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  if (ctx.caller.type !== 'user') throw vkError(15);
  const ownerId = int(params, 'owner_id') ?? ctx.caller.userId;
  if (ownerId < 0 && !ctx.state.communities.has(-ownerId)) throw paramError('owner_id is invalid');
  const message = readString(params, 'message') ?? '';
  if (message.trim() === '' && params.attachments === undefined) throw paramError('message is empty or invalid');
  const fromId = ownerId < 0 && readBool(params, 'from_group') ? ownerId : ctx.caller.userId;
  const guid = readString(params, 'guid');
  const before = ctx.state.postsOf(ownerId).length;
  const post = ctx.state.createPost({ ownerId, fromId, text: message, ...(guid ? { guid } : {}) });
  if (ctx.state.postsOf(ownerId).length > before) {
    ctx.state.sentWallPosts.push({ ownerId, postId: post.id, fromId, text: message, date: post.date, ...(guid ? { guid } : {}) });
  }
  return { post_id: post.id };
}

/** The community whose dialogs a call reads: the group token's own, or `group_id` for a user token (an admin's). */
function dialogGroup(ctx: VkCallContext, params: Record<string, unknown>): number {
  if (ctx.caller.type === 'group') return ctx.caller.groupId;
  const groupId = int(params, 'group_id');
  if (groupId === undefined) throw vkError(15, 'Access denied: no access to the dialogs of this user');
  return groupId;
}

/** Every dialog of the community, the most recent first (VK's default sort), with its last message. */
function messagesGetConversations(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const groupId = dialogGroup(ctx, params);
  const count = clamp(int(params, 'count'), 20, 200);
  const offset = clamp(int(params, 'offset'), 0, Number.MAX_SAFE_INTEGER);
  const last = new Map<number, VkDialogMessage>();
  for (const m of ctx.state.messagesOf(groupId)) last.set(m.peerId, m);
  const dialogs = [...last.values()].sort((a, b) => b.id - a.id);
  const items = dialogs.slice(offset, offset + count).map((m) => ({
    conversation: {
      peer: { id: m.peerId, type: 'user', local_id: m.peerId },
      last_message_id: m.id,
      last_conversation_message_id: m.conversationMessageId,
      in_read: m.id,
      out_read: m.id,
      can_write: { allowed: true },
      version: m.id,
    },
    last_message: messageObject(m),
  }));
  return { count: dialogs.length, items };
}

/** One dialog's messages, the newest first unless `rev=1`; `start_message_id` starts from that message. */
function messagesGetHistory(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const groupId = dialogGroup(ctx, params);
  const peerId = int(params, 'peer_id') ?? int(params, 'user_id');
  if (peerId === undefined) throw paramError('peer_id is a required parameter');
  const count = clamp(int(params, 'count'), 20, 200);
  let offset = clamp(int(params, 'offset'), 0, Number.MAX_SAFE_INTEGER);
  const rev = int(params, 'rev') === 1;
  const all = ctx.state.messagesOf(groupId).filter((m) => m.peerId === peerId);
  const ordered = rev ? all : all.slice().reverse();
  const start = int(params, 'start_message_id');
  if (start !== undefined) {
    const index = ordered.findIndex((m) => (rev ? m.id >= start : m.id <= start));
    offset += index === -1 ? ordered.length : index;
  }
  return { count: all.length, items: ordered.slice(offset, offset + count).map(messageObject) };
}

function messagesSend(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  let groupId: number;
  if (ctx.caller.type === 'group') {
    groupId = ctx.caller.groupId;
  } else {
    // A user token may write on behalf of a community it administers (group_id); the emulator holds no user dialogs.
    groupId = requiredInt(params, 'group_id');
    if (!ctx.state.communities.has(groupId)) throw paramError('group_id is invalid');
  }
  const peerId = int(params, 'peer_id') ?? int(params, 'user_id');
  if (peerId === undefined) throw paramError('peer_id is a required parameter');
  const randomId = int(params, 'random_id');
  if (randomId === undefined) throw paramError('random_id is a required parameter');
  const message = readString(params, 'message') ?? '';
  if (message.trim() === '' && params.attachment === undefined) throw paramError('message is empty or invalid');
  if (message.length > 4096) throw vkError(914);
  let keyboard: unknown;
  const rawKeyboard = readString(params, 'keyboard');
  if (rawKeyboard !== undefined && rawKeyboard !== '') {
    try {
      keyboard = JSON.parse(rawKeyboard) as unknown;
    } catch {
      throw vkError(911);
    }
    const buttons = (keyboard as { buttons?: unknown } | null)?.buttons;
    if (!Array.isArray(buttons) || !buttons.every((row) => Array.isArray(row))) throw vkError(911);
  }
  const replyTo = int(params, 'reply_to');
  return ctx.state.sendMessage({
    groupId,
    peerId,
    randomId,
    text: message,
    ...(keyboard !== undefined ? { keyboard } : {}),
    ...(replyTo !== undefined ? { replyTo } : {}),
  });
}

function groupsGetById(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  let ids = [...idList(params, 'group_ids'), ...idList(params, 'group_id')];
  if (ids.length === 0) {
    if (ctx.caller.type !== 'group') throw paramError('group_ids is undefined');
    ids = [String(ctx.caller.groupId)];
  }
  const groups = ids.map((raw) => {
    const byName = [...ctx.state.communities.values()].find((c) => c.screenName === raw || `club${c.id}` === raw);
    const id = byName ? byName.id : Math.abs(Number(raw));
    if (!ctx.state.communities.has(id)) throw paramError('group_ids is invalid');
    return communityObject(ctx.state, id);
  });
  return { groups, profiles: [] };
}

function groupsGetLongPollServer(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const groupId = requiredInt(params, 'group_id');
  requireOwnCommunity(ctx, groupId);
  const { key, ts } = ctx.longPoll.issueKey(groupId);
  return { key, server: `${ctx.baseUrl}/vk-lp/${groupId}`, ts };
}

function usersGet(ctx: VkCallContext, params: Record<string, unknown>): unknown {
  const ids = idList(params, 'user_ids');
  if (ids.length === 0 && ctx.caller.type === 'user') ids.push(String(ctx.caller.userId));
  return ids.map((raw) => {
    const user = ctx.state.users.get(Number(raw));
    if (!user) throw vkError(113);
    return userObject(user);
  });
}

/** Every VK method the emulator serves, except `execute` (see vk-execute.ts). */
export const VK_METHODS: Readonly<Record<string, VkMethod>> = {
  'wall.get': { tokenTypes: ['user', 'service'], run: wallGet },
  'wall.getComments': { tokenTypes: ['user', 'service'], run: wallGetComments },
  'wall.createComment': { tokenTypes: ['user', 'group'], run: wallCreateComment },
  'wall.post': { tokenTypes: ['user'], run: wallPost },
  'messages.send': { tokenTypes: ['user', 'group'], run: messagesSend },
  'messages.getConversations': { tokenTypes: ['user', 'group'], run: messagesGetConversations },
  'messages.getHistory': { tokenTypes: ['user', 'group'], run: messagesGetHistory },
  'groups.getById': { tokenTypes: ['user', 'group', 'service'], run: groupsGetById },
  'groups.getLongPollServer': { tokenTypes: ['user', 'group'], run: groupsGetLongPollServer },
  'users.get': { tokenTypes: ['user', 'group', 'service'], run: usersGet },
};

/** Token types of `execute`, as in VK's schema. */
export const VK_EXECUTE_TOKEN_TYPES: readonly VkTokenType[] = ['user', 'group'];

/** Refuses a token type the method does not accept, with the error VK gives for that type. */
export function checkTokenType(caller: VkCaller, tokenTypes: readonly VkTokenType[]): void {
  if (tokenTypes.includes(caller.type)) return;
  if (caller.type === 'group') throw vkError(27);
  if (caller.type === 'service') throw vkError(28);
  throw vkError(15, 'Access denied: method is unavailable with user auth');
}

/** Runs one VK method (token type checked); throws VkApiError. */
export function runVkMethod(ctx: VkCallContext, method: string, params: Record<string, unknown>): unknown {
  const def = VK_METHODS[method];
  if (!def) throw vkError(3);
  checkTokenType(ctx.caller, def.tokenTypes);
  return def.run(ctx, params);
}
