import { z } from 'zod';
import type { Emulator } from './emulator.js';

const name = z.string().trim().min(1).max(200);
const groupId = z.number().int().positive();
const chatId = z
  .number()
  .int()
  .refine((id) => id !== 0, 'a chat id is never 0');

/**
 * A seeded world for the emulator: VK communities with their posts, the bot's Telegram chats, its
 * MAX chats and channels (with posts), and the people in them. The format of `otklik emulator --world FILE` (docs/emulator.md).
 * `municipalityId` is not the emulator's: it only goes into the config snippet printed for the bot.
 */
export const WorldSchema = z
  .object({
    vk: z
      .object({
        /** The reader's user token (wall.get, execute); generated when absent. */
        userToken: z.string().trim().min(1).optional(),
        communities: z
          .array(
            z
              .object({
                groupId,
                name,
                /** The community token; generated when absent. */
                token: z.string().trim().min(1).optional(),
                municipalityId: z.string().min(1).nullable().default(null),
                /** Texts of the community's wall posts, oldest first. */
                posts: z.array(z.string().min(1)).default([]),
              })
              .strict(),
          )
          .default([]),
        /** VK people with names (authors not listed get a placeholder profile). */
        users: z.array(z.object({ id: z.number().int().positive(), firstName: name, lastName: name }).strict()).default([]),
      })
      .strict()
      .prefault({}),
    telegram: z
      .object({
        bot: z
          .object({
            username: z.string().regex(/^\w{3,32}$/, 'a Telegram username: 3-32 letters, digits or _'),
            firstName: name.optional(),
            /** `<bot id>:<secret>`; generated when absent. */
            token: z
              .string()
              .regex(/^\d+:[\w-]+$/, 'a bot token looks like 123456:ABC-def')
              .optional(),
          })
          .strict()
          .prefault({ username: 'otklik_bot' }),
        /** The moderators' group chat, created as a supergroup. */
        moderatorsChat: z.object({ chatId, title: name }).strict().nullable().default(null),
        chats: z
          .array(
            z
              .object({
                chatId,
                title: name,
                type: z.enum(['group', 'supergroup']).default('supergroup'),
                municipalityId: z.string().min(1).nullable().default(null),
              })
              .strict(),
          )
          .default([]),
        /** Telegram people; each also gets a private chat with the bot. */
        users: z
          .array(
            z
              .object({
                id: z.number().int().positive(),
                firstName: name,
                username: z
                  .string()
                  .regex(/^\w{3,32}$/)
                  .optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
  })
  .extend({
    max: z
      .object({
        bot: z
          .object({
            username: z.string().regex(/^\w{3,64}$/, 'a MAX bot name: letters, digits or _'),
            name: name.optional(),
            /** The token MAX_BOT_TOKEN carries; generated when absent. */
            token: z.string().trim().min(8).optional(),
          })
          .strict()
          .prefault({ username: 'otklik_max_bot' }),
        /** The moderators' chat in MAX (instead of telegram.moderatorsChat: never both). */
        moderatorsChat: z.object({ chatId, title: name }).strict().nullable().default(null),
        /** Group chats: house chats of buildings, town chats. */
        chats: z.array(z.object({ chatId, title: name, municipalityId: z.string().min(1).nullable().default(null) }).strict()).default([]),
        /** Channels whose posts' comments the bot reads, with the texts of their posts. */
        channels: z
          .array(
            z
              .object({ chatId, title: name, municipalityId: z.string().min(1).nullable().default(null), posts: z.array(z.string().min(1)).default([]) })
              .strict(),
          )
          .default([]),
        /** MAX people (each can write to the bot: their dialog's chat id is their id). */
        users: z.array(z.object({ id: z.number().int().positive(), firstName: name, lastName: name.optional() }).strict()).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((world, ctx) => {
    if (world.max.moderatorsChat && world.telegram.moderatorsChat) {
      ctx.addIssue({
        code: 'custom',
        path: ['max', 'moderatorsChat'],
        message: 'moderators work in one chat: set telegram.moderatorsChat or max.moderatorsChat, not both',
      });
    }
    const maxIds = [
      ...world.max.chats.map((c) => c.chatId),
      ...world.max.channels.map((c) => c.chatId),
      ...(world.max.moderatorsChat ? [world.max.moderatorsChat.chatId] : []),
    ];
    const dupMax = maxIds.find((id, i) => maxIds.indexOf(id) !== i);
    if (dupMax !== undefined) ctx.addIssue({ code: 'custom', path: ['max', 'chats'], message: `id ${dupMax} is listed twice` });
    const seen = (ids: number[], path: string): void => {
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      if (dup !== undefined) ctx.addIssue({ code: 'custom', path: path.split('.'), message: `id ${dup} is listed twice` });
    };
    seen(
      world.vk.communities.map((c) => c.groupId),
      'vk.communities',
    );
    seen(
      world.telegram.users.map((u) => u.id),
      'telegram.users',
    );
    const chatIds = world.telegram.chats.map((c) => c.chatId);
    seen([...chatIds, ...(world.telegram.moderatorsChat ? [world.telegram.moderatorsChat.chatId] : [])], 'telegram.chats');
    for (const [i, chat] of world.telegram.chats.entries()) {
      if (chat.chatId > 0) ctx.addIssue({ code: 'custom', path: ['telegram', 'chats', i, 'chatId'], message: 'group chats have negative ids' });
    }
  });

/** A world as written in a file (defaults may be left out). */
export type WorldInput = z.input<typeof WorldSchema>;
export type World = z.output<typeof WorldSchema>;

/** What seeding made: the tokens the bot needs, the post ids by community. */
export interface SeededWorld {
  userToken: string;
  communityTokens: Map<number, string>;
  posts: Map<number, number[]>;
  botToken: string;
  botId: number;
  /** The MAX bot's token when the world has MAX chats, channels or a moderators' chat; else null. */
  maxToken: string | null;
  /** MAX channel id → its posts' mids, oldest first. */
  maxPosts: Map<number, string[]>;
}

/** True when the world gives MAX anything to watch. */
export function worldUsesMax(world: World): boolean {
  return world.max.chats.length > 0 || world.max.channels.length > 0 || world.max.moderatorsChat !== null;
}

/** Creates `world` in `emulator`: communities and their posts, the reader token, the bot, chats, people. */
export function seedWorld(emulator: Emulator, world: World): SeededWorld {
  const communityTokens = new Map<number, string>();
  const posts = new Map<number, number[]>();
  for (const community of world.vk.communities) {
    const created = emulator.addCommunity({ groupId: community.groupId, name: community.name, ...(community.token ? { token: community.token } : {}) });
    communityTokens.set(community.groupId, created.communityToken);
    posts.set(
      community.groupId,
      community.posts.map((text) => emulator.addPost(community.groupId, { text })),
    );
  }
  const userToken = emulator.addUserToken(world.vk.userToken ? { token: world.vk.userToken } : {}).token;
  for (const user of world.vk.users) emulator.addVkUser(user);
  const { bot } = world.telegram;
  const created = emulator.addBot({
    username: bot.username,
    ...(bot.firstName ? { firstName: bot.firstName } : {}),
    ...(bot.token ? { token: bot.token } : {}),
  });
  for (const chat of world.telegram.chats) emulator.addChat({ id: chat.chatId, type: chat.type, title: chat.title });
  const moderators = world.telegram.moderatorsChat;
  if (moderators) emulator.addChat({ id: moderators.chatId, type: 'supergroup', title: moderators.title });
  for (const user of world.telegram.users) {
    emulator.addTgUser({ id: user.id, firstName: user.firstName, ...(user.username ? { username: user.username } : {}) });
    emulator.addChat({ id: user.id, type: 'private' });
  }
  let maxToken: string | null = null;
  const maxPosts = new Map<number, string[]>();
  if (worldUsesMax(world)) {
    const { bot: maxBot } = world.max;
    maxToken = emulator.addMaxBot({
      username: maxBot.username,
      ...(maxBot.name ? { name: maxBot.name } : {}),
      ...(maxBot.token ? { token: maxBot.token } : {}),
    }).token;
    for (const chat of world.max.chats) emulator.addMaxChat({ chatId: chat.chatId, type: 'chat', title: chat.title });
    if (world.max.moderatorsChat) emulator.addMaxChat({ chatId: world.max.moderatorsChat.chatId, type: 'chat', title: world.max.moderatorsChat.title });
    for (const channel of world.max.channels) {
      emulator.addMaxChat({ chatId: channel.chatId, type: 'channel', title: channel.title });
      maxPosts.set(
        channel.chatId,
        channel.posts.map((text) => emulator.addMaxPost({ chatId: channel.chatId, text })),
      );
    }
    for (const user of world.max.users) emulator.addMaxUser({ id: user.id, firstName: user.firstName, ...(user.lastName ? { lastName: user.lastName } : {}) });
  }
  return { userToken, communityTokens, posts, botToken: created.token, botId: created.id, maxToken, maxPosts };
}

/** The environment variables that point `otklik start` at an emulator seeded with `seeded`. */
export function botEnvironment(
  emulator: Pick<Emulator, 'vkApiBaseUrl' | 'telegramApiRoot' | 'maxApiBaseUrl'>,
  seeded: Pick<SeededWorld, 'userToken' | 'botToken' | 'communityTokens' | 'maxToken'>,
): Record<string, string> {
  const env: Record<string, string> = {
    VK_API_BASE_URL: emulator.vkApiBaseUrl,
    TELEGRAM_API_ROOT: emulator.telegramApiRoot,
    VK_USER_TOKEN: seeded.userToken,
    TELEGRAM_BOT_TOKEN: seeded.botToken,
    ...(seeded.maxToken ? { MAX_API_BASE_URL: emulator.maxApiBaseUrl, MAX_BOT_TOKEN: seeded.maxToken } : {}),
  };
  for (const [id, token] of seeded.communityTokens) env[`VK_COMMUNITY_TOKEN_${id}`] = token;
  return env;
}
