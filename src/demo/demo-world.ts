import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FileConfig, FileConfigSchema } from '../config.js';
import { type World, WorldSchema } from '../emulator/world.js';
import { DEMO_POSTS, MODERATORS_CHAT } from './scenario.js';

export const DEMO_BOT_USERNAME = 'otklik_demo_bot';
export const DEMO_MODERATORS_CHAT_TITLE = 'ЦУР: модераторы';
export const CONFIG_DIR = new URL('../../config/', import.meta.url).pathname;

/** The shipped region (communities, chats, moderators) without secrets: the world the emulator plays. */
export function readDefaults(): FileConfig {
  return FileConfigSchema.parse(JSON.parse(readFileSync(join(CONFIG_DIR, 'default.json'), 'utf8')));
}

/**
 * The demo's world, used by `npm run demo` and by `otklik emulator` without `--world`: the
 * communities and chats of config/default.json with the demo's posts, the moderators' chat, and
 * the configured moderators as people (Telegram ones with a private chat with the bot).
 */
export function demoWorld(defaults: FileConfig = readDefaults()): World {
  const person = (fullName: string): { firstName: string; lastName: string } => {
    const [firstName = fullName, ...rest] = fullName.split(' ');
    return { firstName, lastName: rest.join(' ') || firstName };
  };
  return WorldSchema.parse({
    vk: {
      communities: defaults.vk.communities.map((c) => ({
        groupId: c.groupId,
        name: c.name,
        municipalityId: c.municipalityId,
        posts: DEMO_POSTS[c.groupId] ?? [],
      })),
      users: defaults.moderators.filter((m) => m.platform === 'vk').map((m) => ({ id: m.id, ...person(m.name) })),
    },
    telegram: {
      bot: { username: DEMO_BOT_USERNAME, firstName: 'Отклик' },
      moderatorsChat: { chatId: MODERATORS_CHAT, title: DEMO_MODERATORS_CHAT_TITLE },
      chats: defaults.telegram.chats.map((c) => ({ chatId: c.chatId, title: c.title, municipalityId: c.municipalityId })),
      users: defaults.moderators.filter((m) => m.platform === 'telegram').map((m) => ({ id: m.id, firstName: person(m.name).firstName })),
    },
  });
}
