import pino from 'pino';
import type { Config } from '../../../src/config.js';
import type { Emulator } from '../../../src/emulator/emulator.js';
import { testConfig } from '../../helpers/index.js';

export const USER_TOKEN = 'vk-user-token-test';
export const SERVICE_TOKEN = 'vk-service-token-test';
export const TELEGRAM_TOKEN = '123456:telegram-test-token';
export const communityToken = (groupId: number): string => `vk-community-token-${groupId}`;

export const silentLogger = pino({ level: 'silent' });

/** A logger keeping its lines as parsed objects, for asserting what was logged and how often. */
export function recordingLogger(): { logger: pino.Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

/** Communities 1001, 1002, … on the emulator, with the tokens a config for them names. */
export function addCommunities(emu: Emulator, count: number, first = 1001): number[] {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  for (const groupId of ids) emu.addCommunity({ groupId, name: `Сообщество ${groupId}`, token: communityToken(groupId) });
  return ids;
}

/** A config pointing at the emulator, watching `groupIds`, with the reader token of `reader` kind. */
export function emulatorConfig(
  emu: Emulator,
  groupIds: number[],
  opts: { reader?: 'user' | 'service'; overrides?: Record<string, unknown>; moderatorsChatId?: number | null; chats?: number[] } = {},
): Config {
  const env: Record<string, string> = { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN };
  if ((opts.reader ?? 'user') === 'user') env.VK_USER_TOKEN = USER_TOKEN;
  else env.VK_SERVICE_TOKEN = SERVICE_TOKEN;
  for (const id of groupIds) env[`VK_COMMUNITY_TOKEN_${id}`] = communityToken(id);
  const config = testConfig(
    {
      vk: {
        apiBaseUrl: emu.vkApiBaseUrl,
        readerRequestsPerSecond: 20,
        requestTimeoutMs: 2000,
        communities: groupIds.map((groupId) => ({ groupId, name: `Сообщество ${groupId}`, municipalityId: null })),
      },
      telegram: {
        apiRoot: emu.telegramApiRoot,
        moderatorsChatId: opts.moderatorsChatId === undefined ? -1001000000099 : opts.moderatorsChatId,
        chats: (opts.chats ?? []).map((chatId) => ({ chatId, title: `Чат ${chatId}`, municipalityId: null })),
        pollTimeoutSeconds: 25,
        requestTimeoutMs: 2000,
      },
      ...opts.overrides,
    },
    env,
  );
  if ((opts.reader ?? 'user') === 'service') {
    // The shared env of the test helpers carries a user token; a service-token run must not see it.
    return { ...config, secrets: { ...config.secrets, vkReader: { kind: 'service', token: SERVICE_TOKEN } } };
  }
  return config;
}
