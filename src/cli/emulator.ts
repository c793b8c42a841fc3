/**
 * `otklik emulator`: the VK + Telegram emulator alone, seeded with a world (the demo's, or a JSON
 * world file), for training officials and for testing the bot as a black box. Prints what points
 * `otklik start` at it and serves the control API (docs/emulator.md).
 */
import { readFileSync } from 'node:fs';
import { type FileConfig, formatIssues } from '../config.js';
import { demoWorld, readDefaults } from '../demo/demo-world.js';
import { Emulator } from '../emulator/emulator.js';
import { botEnvironment, type SeededWorld, seedWorld, type World, WorldSchema, worldUsesMax } from '../emulator/world.js';
import { ConfigError } from '../errors.js';

export interface EmulatorCliOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** A JSON world file; the demo's world when absent. */
  worldPath?: string;
  out?: NodeJS.WritableStream;
}

/** Reads and validates a world file; every problem is a ConfigError naming the file and the key. */
export function readWorldFile(path: string): World {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the world file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the world file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = WorldSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`the world file ${path} is invalid (format: docs/emulator.md):\n${formatIssues(parsed.error, input)}`);
  return parsed.data;
}

/** Parses `--port`: an integer 0…65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(`--port must be an integer from 0 to 65535 (0: any free port), got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * The part of config/local.json the bot needs for this world, or null when config/default.json
 * already lists the same communities, chats and moderators' chat.
 */
export function localConfigFor(world: World, defaults: FileConfig): Record<string, unknown> | null {
  const communities = world.vk.communities.map((c) => ({ groupId: c.groupId, name: c.name, municipalityId: c.municipalityId }));
  const chats = world.telegram.chats.map((c) => ({ chatId: c.chatId, title: c.title, municipalityId: c.municipalityId }));
  const moderatorsChatId = world.telegram.moderatorsChat?.chatId ?? null;
  const same =
    JSON.stringify(communities) ===
      JSON.stringify(defaults.vk.communities.map((c) => ({ groupId: c.groupId, name: c.name, municipalityId: c.municipalityId }))) &&
    JSON.stringify(chats) === JSON.stringify(defaults.telegram.chats.map((c) => ({ chatId: c.chatId, title: c.title, municipalityId: c.municipalityId }))) &&
    moderatorsChatId === defaults.telegram.moderatorsChatId &&
    !worldUsesMax(world);
  if (same) return null;
  // The emulator has no public address for webhooks: MAX is read by long poll.
  const max = worldUsesMax(world)
    ? {
        max: {
          mode: 'longpoll',
          moderatorsChatId: world.max.moderatorsChat?.chatId ?? null,
          chats: world.max.chats,
          channels: world.max.channels.map((c) => ({ chatId: c.chatId, title: c.title, municipalityId: c.municipalityId })),
        },
      }
    : {};
  return { vk: { communities }, telegram: { moderatorsChatId, chats }, ...max };
}

function describeWorld(world: World, seeded: SeededWorld): string[] {
  const lines: string[] = [];
  for (const c of world.vk.communities) {
    const posts = seeded.posts.get(c.groupId) ?? [];
    lines.push(`  VK ${c.groupId} «${c.name}»: posts ${posts.length > 0 ? posts.join(', ') : '(none)'}`);
  }
  for (const c of world.telegram.chats) lines.push(`  Telegram chat ${c.chatId} «${c.title}»`);
  if (world.telegram.moderatorsChat) lines.push(`  Telegram moderators' chat ${world.telegram.moderatorsChat.chatId} «${world.telegram.moderatorsChat.title}»`);
  lines.push(`  Telegram bot @${world.telegram.bot.username} (id ${seeded.botId})`);
  for (const c of world.max.chats) lines.push(`  MAX chat ${c.chatId} «${c.title}»`);
  for (const c of world.max.channels)
    lines.push(`  MAX channel ${c.chatId} «${c.title}»: posts ${(seeded.maxPosts.get(c.chatId) ?? []).join(', ') || '(none)'}`);
  if (world.max.moderatorsChat) lines.push(`  MAX moderators' chat ${world.max.moderatorsChat.chatId} «${world.max.moderatorsChat.title}»`);
  const people = [
    ...world.telegram.users.map((u) => `tg:${u.id} ${u.firstName}`),
    ...world.vk.users.map((u) => `vk:${u.id} ${u.firstName} ${u.lastName}`),
    ...world.max.users.map((u) => `max:${u.id} ${u.firstName}`),
  ];
  if (people.length > 0) lines.push(`  people: ${people.join(', ')}`);
  return lines;
}

/** Starts the emulator, prints how to point the bot at it, and runs until SIGINT/SIGTERM. */
export async function runEmulator(options: EmulatorCliOptions): Promise<Emulator> {
  const out = options.out ?? process.stdout;
  const world = options.worldPath ? readWorldFile(options.worldPath) : demoWorld();
  const emulator = await Emulator.start({ port: options.port }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'EADDRINUSE')
      throw new ConfigError(`port ${options.port} on 127.0.0.1 is in use: choose another with --port (0: any free port)`);
    throw error;
  });
  const seeded = seedWorld(emulator, world);
  const env = botEnvironment(emulator, seeded);
  const local = localConfigFor(world, readDefaults());
  const lines = [
    `Otklik emulator (VK API + Bots Long Poll + Telegram Bot API + MAX Bot API) on ${emulator.url}`,
    `World: ${options.worldPath ?? "the demo's (config/default.json)"}`,
    ...describeWorld(world, seeded),
    '',
    'Point `otklik start` at it with these environment variables (or put them in .env, without `export`):',
    ...Object.entries(env).map(([key, value]) => `export ${key}=${value}`),
    '',
    local
      ? 'and this in config/local.json (or the file named by OTKLIK_CONFIG_LOCAL):'
      : 'config/default.json already lists these communities and chats: no config/local.json is needed.',
    ...(local ? [JSON.stringify(local, null, 2)] : []),
    '',
    `Control API: POST JSON to ${emulator.url}/control/<method> (list: GET ${emulator.url}/control; docs/emulator.md)`,
    'Ready. Ctrl+C stops the emulator.',
  ];
  out.write(`${lines.join('\n')}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return emulator;
}
