import { createServer } from 'node:net';
import type { Config } from '../../../src/config.js';
import type { Emulator } from '../../../src/emulator/emulator.js';
import { testConfig } from '../../helpers/index.js';

export const MAX_TOKEN = 'max-test-bot-token';
export const MAX_SECRET = 'max-webhook-secret_42';
export const MAX_HOUSE_CHAT = -70_000_000_500;
export const MAX_CHANNEL = -70_000_000_600;
export const MAX_MODERATORS = -70_000_000_099;

/** A free TCP port on 127.0.0.1 (the webhook's public URL must be known before the app listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A MAX bot on the emulator with a house chat and a channel, and the MAX users of the tests. */
export function addMaxWorld(emu: Emulator): { botId: number; postMid: string } {
  const { id } = emu.addMaxBot({ token: MAX_TOKEN, username: 'otklik_max_bot', name: 'Отклик' });
  emu.addMaxChat({ chatId: MAX_HOUSE_CHAT, type: 'chat', title: 'Дом Ленина 5' });
  emu.addMaxChat({ chatId: MAX_CHANNEL, type: 'channel', title: 'Администрация Зареченска' });
  emu.addMaxChat({ chatId: MAX_MODERATORS, type: 'chat', title: 'ЦУР: модераторы' });
  const postMid = emu.addMaxPost({ chatId: MAX_CHANNEL, text: 'График отключений воды' });
  return { botId: id, postMid };
}

/**
 * A config watching the emulator's MAX house chat and channel, by long poll or by webhook (the
 * webhook's receiver on the ops HTTP server at `port`). `room`: the moderators' chat is in MAX.
 */
export function maxConfig(emu: Emulator, opts: { mode: 'longpoll' | 'webhook'; port?: number; room?: boolean; overrides?: Record<string, unknown> }): Config {
  const port = opts.port ?? 0;
  return testConfig(
    {
      vk: { communities: [] },
      telegram: { enabled: false, moderatorsChatId: null, chats: [] },
      max: {
        apiBaseUrl: emu.maxApiBaseUrl,
        mode: opts.mode,
        webhook: { publicUrl: `http://127.0.0.1:${port}/max/webhook` },
        moderatorsChatId: opts.room ? MAX_MODERATORS : null,
        chats: [{ chatId: MAX_HOUSE_CHAT, title: 'Дом Ленина 5', municipalityId: null }],
        channels: [{ chatId: MAX_CHANNEL, title: 'Администрация Зареченска', municipalityId: null }],
        pollTimeoutSeconds: 5,
        requestTimeoutMs: 3000,
        sendTimeoutMs: 3000,
      },
      database: { path: ':memory:' },
      http: { enabled: opts.mode === 'webhook', port },
      logging: { level: 'silent' },
      ...opts.overrides,
    },
    { MAX_BOT_TOKEN: MAX_TOKEN, MAX_WEBHOOK_SECRET: MAX_SECRET },
  );
}
