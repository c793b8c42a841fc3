import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotHome, type BotProcess, spawnOtklik } from '../resilience/bot-process.js';

// Black box: `otklik emulator` and `otklik start` as two processes on loopback, one complaint
// driven through the emulator's control API, the acknowledgement read back through it.

const CITY_CHAT = -1001000000001;
const CITIZEN = 100_201;
const dirs: string[] = [];
const processes: BotProcess[] = [];
const homes: BotHome[] = [];

afterEach(async () => {
  for (const home of homes.splice(0)) await home.dispose();
  for (const child of processes.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-emulator-'));
  dirs.push(dir);
  return dir;
}

/** Polls `check` until it gives a value; the deadline only turns a broken run into a failure with the processes' output. */
async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, output: string[]): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; output:\n${output.join('').slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `otklik emulator` and resolves with its printed environment once it says it is ready. */
async function startEmulator(args: string[] = []): Promise<{ env: Record<string, string>; output: string[]; child: BotProcess }> {
  const output: string[] = [];
  const child = spawnOtklik(['emulator', '--port', '0', ...args], tempDir(), output, {});
  processes.push(child);
  await eventually(() => (output.join('').includes('Ready.') ? true : undefined), 'the emulator to be ready', output);
  const env = Object.fromEntries([...output.join('').matchAll(/^export (\w+)=(.+)$/gm)].map((m) => [m[1], m[2]]));
  return { env: env as Record<string, string>, output, child };
}

async function control<T>(url: string, name: string, body: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${url}/control/${name}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const answer = (await res.json()) as { ok: boolean; result?: T; error?: string };
  if (!answer.ok) throw new Error(`control ${name}: ${answer.error}`);
  return answer.result as T;
}

describe('otklik emulator', () => {
  it('should seed the demo world, point `otklik start` at itself and carry a complaint to its acknowledgement', async () => {
    const emulator = await startEmulator();
    const url = emulator.env.TELEGRAM_API_ROOT!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(emulator.env)).toEqual(
      expect.arrayContaining([
        'VK_API_BASE_URL',
        'VK_USER_TOKEN',
        'TELEGRAM_BOT_TOKEN',
        'VK_COMMUNITY_TOKEN_210001',
        'VK_COMMUNITY_TOKEN_210002',
        'VK_COMMUNITY_TOKEN_210003',
      ]),
    );
    expect(emulator.output.join('')).toContain('no config/local.json is needed');

    // Telegram keeps pending updates, so the complaint may be written before the bot connects.
    const messageId = await control<number>(url, 'sendTelegramMessage', {
      chatId: CITY_CHAT,
      fromId: CITIZEN,
      text: 'В Зареченске на улице Садовой 5 третий день нет горячей воды, управляющая компания не отвечает',
    });
    const home = new BotHome({
      groups: [],
      posts: new Map(),
      maxPosts: [],
      env: emulator.env,
      local: { vk: { apiBaseUrl: emulator.env.VK_API_BASE_URL }, telegram: { apiRoot: url } },
    });
    homes.push(home);
    home.start();

    type Sent = { telegramMessages: { chatId: number; replyTo?: number; text: string }[] };
    const ack = await eventually(
      async () => (await control<Sent>(url, 'sent')).telegramMessages.find((m) => m.chatId === CITY_CHAT && m.replyTo === messageId),
      'the acknowledgement',
      [...emulator.output, ...home.output],
    );
    expect(ack.text).toMatch(/обращение №\d+ зарегистрировано/);
  });

  it('should refuse a world file with a bad key, naming the file and the key', async () => {
    const dir = tempDir();
    const path = join(dir, 'world.json');
    writeFileSync(path, JSON.stringify({ vk: { communities: [{ groupId: -5, name: 'Сообщество' }] }, telegram: { chatz: [] } }));
    const output: string[] = [];
    const child = spawnOtklik(['emulator', '--port', '0', '--world', path], dir, output, {});
    processes.push(child);
    expect((await child.exited).code).toBe(2);
    const text = output.join('');
    expect(text).toContain(`the world file ${path} is invalid`);
    expect(text).toContain('vk.communities.0.groupId = -5');
    expect(text).toContain('chatz');
  });

  it('should seed a world file and print the config/local.json the bot needs for it', async () => {
    const dir = tempDir();
    const path = join(dir, 'world.json');
    const world = {
      vk: { communities: [{ groupId: 500, name: 'Учебное сообщество', municipalityId: 'zarechensk', posts: ['Учебный пост'] }] },
      telegram: { bot: { username: 'training_bot' }, moderatorsChat: { chatId: -100500, title: 'Учебные модераторы' }, chats: [] },
    };
    writeFileSync(path, JSON.stringify(world));
    const { env, output } = await startEmulator(['--world', path]);
    expect(env.VK_COMMUNITY_TOKEN_500).toBeDefined();
    const text = output.join('');
    expect(text).toContain('VK 500 «Учебное сообщество»: posts 1');
    expect(text).toContain('"moderatorsChatId": -100500');
    const me = (await (await fetch(`${env.TELEGRAM_API_ROOT}/bot${env.TELEGRAM_BOT_TOKEN}/getMe`)).json()) as { result: { username: string } };
    expect(me.result.username).toBe('training_bot');
  });

  it('should seed MAX chats and channels from a world file and drive them through the control API', async () => {
    const dir = tempDir();
    const path = join(dir, 'world.json');
    const world = {
      telegram: { chats: [] },
      max: {
        bot: { username: 'training_max_bot' },
        chats: [{ chatId: -7001, title: 'Дом Ленина 5', municipalityId: 'zarechensk' }],
        channels: [{ chatId: -7002, title: 'Администрация', posts: ['График отключений'] }],
        users: [{ id: 801, firstName: 'Ольга' }],
      },
    };
    writeFileSync(path, JSON.stringify(world));
    const { env, output } = await startEmulator(['--world', path]);
    expect(env.MAX_BOT_TOKEN).toBeDefined();
    const text = output.join('');
    expect(text).toContain('MAX chat -7001 «Дом Ленина 5»');
    expect(text).toMatch(/MAX channel -7002 «Администрация»: posts mid\.\w+/);
    expect(text).toContain('"mode": "longpoll"');
    const me = (await (await fetch(`${env.MAX_API_BASE_URL}/me`, { headers: { authorization: env.MAX_BOT_TOKEN! } })).json()) as { username: string };
    expect(me.username).toBe('training_max_bot');
    const control = env.VK_API_BASE_URL!.replace(/\/method$/, '/control');
    const post = /posts (mid\.\w+)/.exec(text)![1]!;
    const comment = (await (
      await fetch(`${control}/addMaxComment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ postMid: post, fromId: 801, text: 'Нет воды' }),
      })
    ).json()) as { ok: boolean; result: string };
    expect(comment).toEqual({ ok: true, result: expect.stringMatching(/^mid\./) });
    const updates = (await (await fetch(`${env.MAX_API_BASE_URL}/updates?timeout=0`, { headers: { authorization: env.MAX_BOT_TOKEN! } })).json()) as {
      updates: { update_type: string }[];
    };
    expect(updates.updates.map((u) => u.update_type)).toEqual(['comment_created']);
  });
});
