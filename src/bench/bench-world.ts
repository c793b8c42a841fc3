/**
 * A world in the emulator for benchmarks and load tests: many VK communities with recent posts,
 * a user token to read walls, a Telegram bot with a group chat and the moderators' chat, MAX (a
 * house chat and a channel, on request), and a Config pointing the real clients at it. Same tokens and ids on every run.
 */
import { type Config, createConfig, deepMerge, readConfigFiles } from '../config.js';
import type { Emulator } from '../emulator/emulator.js';

export const BENCH_FIRST_GROUP = 300_001;
export const BENCH_CHAT = -1001000000500;
export const BENCH_MODERATORS_CHAT = -1001000000099;
export const BENCH_BOT_TOKEN = '777000:bench-bot-token';
export const BENCH_USER_TOKEN = 'vk-bench-user-token';
export const BENCH_MAX_TOKEN = 'max-bench-bot-token';
export const BENCH_MAX_HOUSE_CHAT = -70_000_000_300;
export const BENCH_MAX_CHANNEL = -70_000_000_301;
export const benchCommunityToken = (groupId: number): string => `vk-bench-community-${groupId}`;

export interface BenchWorld {
  groups: number[];
  /** groupId → its posts, oldest first. */
  posts: Map<number, number[]>;
  /** Environment a child bot process (or createConfig) needs: every token of this world. */
  env: Record<string, string>;
  /** The file-config part (without secrets): what config/local.json would hold. */
  local: Record<string, unknown>;
  /** With `max`: the MAX channel's posts (mids); comments go under them. */
  maxPosts: string[];
}

export interface BenchWorldOptions {
  communities: number;
  postsPerCommunity: number;
  /** Posts are dated this many seconds before `now` and later (so they count as recent). */
  now?: number;
  /** How many of the communities (the last ones) are watched through Bots Long Poll instead of their wall (default 0). */
  longPollCommunities?: number;
  /** Also watch a Telegram group chat (default true). */
  telegram?: boolean;
  /** Also watch MAX by long poll: a house chat, a channel's comments and the bot's dialogs (default false). */
  max?: boolean;
  /** SQLite path. */
  dbPath: string;
  /** Merged over the generated file config (poll intervals, outbox settings…). */
  overrides?: Record<string, unknown>;
}

export const CONFIG_DIR = new URL('../../config/', import.meta.url).pathname;

/** Communities, posts, tokens and chats in `emulator`, and the config for a bot watching them. */
export function buildBenchWorld(emulator: Emulator, options: BenchWorldOptions): BenchWorld {
  const groups = Array.from({ length: options.communities }, (_, i) => BENCH_FIRST_GROUP + i);
  const posts = new Map<number, number[]>();
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const env: Record<string, string> = { VK_USER_TOKEN: BENCH_USER_TOKEN, TELEGRAM_BOT_TOKEN: BENCH_BOT_TOKEN };
  emulator.addUserToken({ token: BENCH_USER_TOKEN });
  for (const groupId of groups) {
    emulator.addCommunity({ groupId, name: `Администрация поселения ${groupId}`, token: benchCommunityToken(groupId) });
    env[`VK_COMMUNITY_TOKEN_${groupId}`] = benchCommunityToken(groupId);
    const ids: number[] = [];
    for (let i = 0; i < options.postsPerCommunity; i += 1) {
      ids.push(emulator.addPost(groupId, { text: `Новости поселения, выпуск ${i + 1}`, date: now - 86_400 + i * 60 }));
    }
    posts.set(groupId, ids);
  }
  emulator.addBot({ token: BENCH_BOT_TOKEN, username: 'otklik_bench_bot', firstName: 'Отклик' });
  emulator.addChat({ id: BENCH_MODERATORS_CHAT, type: 'supergroup', title: 'ЦУР: модераторы' });
  const telegram = options.telegram ?? true;
  if (telegram) emulator.addChat({ id: BENCH_CHAT, type: 'supergroup', title: 'Городской чат' });

  const maxPosts: string[] = [];
  if (options.max) {
    emulator.addMaxBot({ token: BENCH_MAX_TOKEN, username: 'otklik_bench_max' });
    emulator.addMaxChat({ chatId: BENCH_MAX_HOUSE_CHAT, type: 'chat', title: 'Дом Ленина 5' });
    emulator.addMaxChat({ chatId: BENCH_MAX_CHANNEL, type: 'channel', title: 'Администрация поселения' });
    for (let i = 0; i < options.postsPerCommunity; i += 1)
      maxPosts.push(emulator.addMaxPost({ chatId: BENCH_MAX_CHANNEL, text: `Новости поселения, выпуск ${i + 1}` }));
    env.MAX_BOT_TOKEN = BENCH_MAX_TOKEN;
  }

  const local = deepMerge(
    {
      database: { path: options.dbPath },
      vk: {
        apiBaseUrl: emulator.vkApiBaseUrl,
        // VK's limit is 3/s for a user token; the emulator is not VK, and request counts do not depend on it.
        readerRequestsPerSecond: 20,
        requestTimeoutMs: 5000,
        postsPerCommunity: options.postsPerCommunity,
        communities: groups.map((groupId, i) => {
          const longPoll = i >= groups.length - (options.longPollCommunities ?? 0);
          return { groupId, name: `Администрация поселения ${groupId}`, municipalityId: 'zarechensk', watchWall: !longPoll, watchMessages: longPoll };
        }),
      },
      telegram: {
        apiRoot: emulator.telegramApiRoot,
        moderatorsChatId: BENCH_MODERATORS_CHAT,
        chats: telegram ? [{ chatId: BENCH_CHAT, title: 'Городской чат', municipalityId: 'zarechensk' }] : [],
        pollTimeoutSeconds: 5,
        requestTimeoutMs: 10_000,
      },
      ...(options.max
        ? {
            max: {
              apiBaseUrl: emulator.maxApiBaseUrl,
              mode: 'longpoll',
              chats: [{ chatId: BENCH_MAX_HOUSE_CHAT, title: 'Дом Ленина 5', municipalityId: 'zarechensk' }],
              channels: [{ chatId: BENCH_MAX_CHANNEL, title: 'Администрация поселения', municipalityId: 'zarechensk' }],
              pollTimeoutSeconds: 5,
            },
          }
        : {}),
      http: { enabled: false },
      logging: { level: 'silent' },
    },
    options.overrides ?? {},
  ) as Record<string, unknown>;
  return { groups, posts, env, local, maxPosts };
}

/** The shipped config/default.json with the world's local part and tokens. */
export function benchConfig(world: BenchWorld): Config {
  return createConfig({ ...readConfigFiles(CONFIG_DIR), local: world.local, env: world.env });
}
