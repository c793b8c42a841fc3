import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';
import { TELEGRAM_METHODS } from '../../../src/emulator/telegram/telegram-api.js';
import { VK_ERROR_MESSAGES, VK_EXECUTE_TOKEN_TYPES, VK_METHODS } from '../../../src/emulator/vk/vk-api.js';
import { checkTgResult, checkTgType, checkVkResponse, checkVkSchema, loadReferences } from './reference-checkers.js';

const { vk: vkRef, telegram: tgRef } = loadReferences();

let emu: Emulator;
let tokens: { user: string; group: string; service: string };
let postId: number;
const GROUP_ID = 101;
const CITIZEN = 501;

async function vkCall(method: string, params: Record<string, string | number>, token: string): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ access_token: token, v: '5.199' });
  for (const [k, v] of Object.entries(params)) body.set(k, String(v));
  const res = await fetch(`${emu.vkApiBaseUrl}/${method}`, { method: 'POST', body });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  emu = await Emulator.start({ seed: 7 });
  const { communityToken } = emu.addCommunity({ groupId: GROUP_ID, name: 'Администрация города', screenName: 'gorod' });
  tokens = { group: communityToken, user: emu.addUserToken().token, service: emu.addServiceToken().token };
  emu.addVkUser({ id: CITIZEN, firstName: 'Ольга', lastName: 'Кузнецова' });
  postId = emu.addPost(GROUP_ID, { text: 'Отключение воды' });
  const root = emu.addComment({ groupId: GROUP_ID, postId, fromId: CITIZEN, text: 'Когда дадут воду?' });
  emu.addComment({ groupId: GROUP_ID, postId, fromId: 502, text: 'Тоже нет воды', replyToCommentId: root });
  emu.addComment({ groupId: GROUP_ID, postId, fromId: -GROUP_ID, text: 'Подача воды восстановлена', replyToCommentId: root });
  emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: CITIZEN, text: 'Яма на дороге' });
});

afterAll(async () => {
  await emu.close();
});

/** One call per VK method the emulator serves, with a token the method accepts. */
const vkSamples = (): Record<string, { token: keyof typeof tokens; params: Record<string, string | number> }> => ({
  'wall.get': { token: 'service', params: { owner_id: -GROUP_ID, count: 10 } },
  'wall.getComments': { token: 'user', params: { owner_id: -GROUP_ID, post_id: postId, thread_items_count: 10, preview_length: 0 } },
  'wall.createComment': { token: 'group', params: { owner_id: -GROUP_ID, post_id: postId, message: 'Обращение №1 зарегистрировано', guid: 'ack-1' } },
  'wall.post': { token: 'user', params: { owner_id: -GROUP_ID, from_group: 1, message: 'График подачи воды', guid: 'post-1' } },
  'messages.send': { token: 'group', params: { peer_id: CITIZEN, random_id: 17, message: 'Обращение принято' } },
  'messages.getConversations': { token: 'group', params: { count: 200 } },
  'messages.getHistory': { token: 'group', params: { peer_id: CITIZEN, count: 200 } },
  'groups.getById': { token: 'group', params: { group_id: GROUP_ID } },
  'groups.getLongPollServer': { token: 'group', params: { group_id: GROUP_ID } },
  'users.get': { token: 'service', params: { user_ids: `${CITIZEN},502` } },
  execute: { token: 'group', params: { code: `return {u: API.users.get({user_ids: ${CITIZEN}}), g: API.groups.getById({group_id: ${GROUP_ID}})};` } },
});

describe('reference checkers', () => {
  it('should catch answers that break the references', () => {
    const badComments = { response: { count: '2', items: [{ id: 1, from_id: 5, date: 1, thread: { count: 1 } }] } };
    expect(checkVkResponse(vkRef, 'wall.getComments', badComments)).toEqual(
      expect.arrayContaining([expect.stringContaining('count'), expect.stringContaining('text: required')]),
    );
    const badMessage = { message_id: 1, date: 1, chat: { id: 1 }, colour: 'red' };
    expect(checkTgResult(tgRef, 'sendMessage', badMessage)).toEqual(
      expect.arrayContaining([expect.stringContaining('chat.type'), expect.stringContaining('colour: not a field')]),
    );
  });
});

describe('VK API against VK schema', () => {
  it('should have a sample for every VK method it serves', () => {
    expect(Object.keys(vkSamples()).sort()).toEqual([...Object.keys(VK_METHODS), 'execute'].sort());
  });

  it('should answer every VK method it serves in the shape of VK schema', async () => {
    for (const [method, sample] of Object.entries(vkSamples())) {
      const body = await vkCall(method, sample.params, tokens[sample.token]);
      expect(body.error, method).toBeUndefined();
      expect(checkVkResponse(vkRef, method, body), method).toEqual([]);
    }
  });

  it('should answer wall.getComments with extended=1 in the shape of VK extended response, naming every author of the page', async () => {
    const params = { owner_id: -GROUP_ID, post_id: postId, thread_items_count: 10, preview_length: 0, extended: 1 };
    const body = await vkCall('wall.getComments', params, tokens.user);
    expect(body.error).toBeUndefined();
    expect(checkVkResponse(vkRef, 'wall.getComments', body, 'extendedResponse')).toEqual([]);
    const response = body.response as { profiles: { id: number; first_name: string; last_name: string }[]; groups: { id: number; name: string }[] };
    expect(response.profiles.map((p) => [p.id, p.first_name, p.last_name])).toEqual([
      [CITIZEN, 'Ольга', 'Кузнецова'],
      [502, expect.any(String), expect.any(String)],
    ]);
    expect(response.groups.map((g) => [g.id, g.name])).toEqual([[GROUP_ID, 'Администрация города']]);
    // Without extended the answer stays the plain one.
    const plain = (await vkCall('wall.getComments', { ...params, extended: 0 }, tokens.user)).response as Record<string, unknown>;
    expect(plain).not.toHaveProperty('profiles');
    expect(plain).not.toHaveProperty('groups');
  });

  it('should name the users users.get is asked about, for a community token too', async () => {
    const body = await vkCall('users.get', { user_ids: `${CITIZEN},502` }, tokens.group);
    expect(checkVkResponse(vkRef, 'users.get', body)).toEqual([]);
    const users = body.response as { id: number; first_name: string; last_name: string }[];
    expect(users.map((u) => u.id)).toEqual([CITIZEN, 502]);
    expect(users[0]).toMatchObject({ first_name: 'Ольга', last_name: 'Кузнецова' });
    for (const user of users) expect(user.first_name.length * user.last_name.length).toBeGreaterThan(0);
  });

  it('should accept the token types VK schema lists for each method', () => {
    for (const [method, def] of Object.entries(VK_METHODS)) {
      expect([...def.tokenTypes].sort(), method).toEqual([...(vkRef.methods[method]?.access_token_type ?? [])].sort());
    }
    expect([...VK_EXECUTE_TOKEN_TYPES].sort()).toEqual([...(vkRef.methods.execute?.access_token_type ?? [])].sort());
  });

  it('should refuse the other token types with the codes VK gives', async () => {
    for (const [method, sample] of Object.entries(vkSamples())) {
      const allowed = vkRef.methods[method]?.access_token_type ?? [];
      for (const type of ['user', 'group', 'service'] as const) {
        const body = await vkCall(method, sample.params, tokens[type]);
        const code = (body.error as { error_code?: number } | undefined)?.error_code;
        if (allowed.includes(type)) expect([27, 28], `${method} with ${type}`).not.toContain(code);
        else expect(code, `${method} with ${type}`).toBe(type === 'group' ? 27 : type === 'service' ? 28 : 15);
      }
    }
  });

  it('should only return error codes listed in VK errors.json', () => {
    const known = new Set(Object.values(vkRef.errors).map((e) => e.code));
    for (const code of Object.keys(VK_ERROR_MESSAGES).map(Number)) expect(known, `code ${code}`).toContain(code);
    const returned = emu
      .requestLog()
      .filter((e) => e.api === 'vk' && e.errorCode !== undefined)
      .map((e) => e.errorCode as number);
    expect(returned.length).toBeGreaterThan(0);
    for (const code of returned) expect(known, `code ${code}`).toContain(code);
  });

  it('should emit long poll events in the shape of VK callback objects', async () => {
    const server = (await vkCall('groups.getLongPollServer', { group_id: GROUP_ID }, tokens.group)).response as {
      key: string;
      server: string;
      ts: string;
    };
    emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: CITIZEN, text: 'Ещё одна яма' });
    emu.addComment({ groupId: GROUP_ID, postId, fromId: 503, text: 'Мусор не вывозят' });
    const res = await fetch(`${server.server}?act=a_check&key=${server.key}&ts=${server.ts}&wait=1`);
    const body = (await res.json()) as { ts: string; updates: { type: string; object: unknown }[] };
    expect(body.updates.map((u) => u.type)).toEqual(['message_new', 'wall_reply_new']);
    for (const update of body.updates) {
      const problems = [
        ...checkVkSchema(vkRef, { $ref: vkRef.events.base ?? '' }, update),
        ...checkVkSchema(vkRef, { $ref: vkRef.events[update.type] ?? 'missing' }, update.object),
      ];
      expect(problems, update.type).toEqual([]);
    }
  });
});

// === Telegram

describe('Telegram Bot API against the Bot API spec', () => {
  let bot: { token: string; id: number };
  const GROUP_CHAT = -1001234567890;

  async function tg(method: string, payload: Record<string, unknown> | FormData = {}): Promise<{ ok: boolean; result?: unknown; description?: string }> {
    const init: RequestInit =
      payload instanceof FormData
        ? { method: 'POST', body: payload }
        : { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
    const res = await fetch(`${emu.telegramApiRoot}/bot${bot.token}/${method}`, init);
    return (await res.json()) as { ok: boolean; result?: unknown; description?: string };
  }

  beforeAll(() => {
    bot = emu.addBot({ username: 'otklik_test_bot' });
    emu.addTgUser({ id: 900, firstName: 'Анна', username: 'anna' });
    emu.addChat({ id: GROUP_CHAT, type: 'supergroup', title: 'Модераторы', isForum: true, topics: [5] });
    emu.addChat({ id: 900, type: 'private' });
  });

  it('should serve only methods that exist in the Bot API', () => {
    for (const method of [...Object.keys(TELEGRAM_METHODS), 'getUpdates']) expect(tgRef.methods, method).toHaveProperty(method);
  });

  it('should answer every method it serves with results of the documented types', async () => {
    const citizenMessage = emu.sendTelegramMessage({ chatId: GROUP_CHAT, fromId: 900, text: '/new Нет света', threadId: 5 });
    const results: Record<string, unknown> = {};
    const call = async (method: string, payload?: Record<string, unknown> | FormData): Promise<unknown> => {
      const body = await tg(method, payload);
      expect(body.ok, `${method}: ${body.description ?? ''}`).toBe(true);
      results[method] = body.result;
      return body.result;
    };
    await call('getMe');
    await call('deleteWebhook');
    await call('getWebhookInfo');
    await call('setMyCommands', { commands: [{ command: 'status', description: 'Статус обращения' }] });
    await call('getMyCommands');
    const updates = (await call('getUpdates', { timeout: 0 })) as { update_id: number }[];
    const sent = (await call('sendMessage', {
      chat_id: GROUP_CHAT,
      message_thread_id: 5,
      text: '<b>Обращение №1</b> зарегистрировано',
      parse_mode: 'HTML',
      reply_parameters: { message_id: citizenMessage },
      reply_markup: { inline_keyboard: [[{ text: 'Принять', callback_data: 'accept:1' }]] },
      link_preview_options: { is_disabled: true },
    })) as { message_id: number };
    const form = new FormData();
    form.set('chat_id', String(GROUP_CHAT));
    form.set('caption', 'Фото с места');
    form.set('photo', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }), 'photo.jpg');
    await call('sendPhoto', form);
    await call('editMessageText', { chat_id: GROUP_CHAT, message_id: sent.message_id, text: 'Обращение №1 принято' });
    await call('editMessageReplyMarkup', {
      chat_id: GROUP_CHAT,
      message_id: sent.message_id,
      reply_markup: { inline_keyboard: [[{ text: 'Закрыть', callback_data: 'close:1' }]] },
    });
    emu.pressButton({ chatId: GROUP_CHAT, messageId: sent.message_id, fromId: 900, data: 'close:1' });
    const withCallback = (await call('getUpdates', { offset: (updates.at(-1)?.update_id ?? 0) + 1 })) as { callback_query?: { id: string } }[];
    await call('answerCallbackQuery', { callback_query_id: withCallback[0]?.callback_query?.id, text: 'Закрыто' });
    await call('getChat', { chat_id: GROUP_CHAT });
    await call('getChatMember', { chat_id: GROUP_CHAT, user_id: 900 });
    await call('logOut');

    expect(Object.keys(results).sort()).toEqual([...Object.keys(TELEGRAM_METHODS), 'getUpdates'].sort());
    for (const [method, result] of Object.entries(results)) expect(checkTgResult(tgRef, method, result), method).toEqual([]);
    expect(updates.length).toBeGreaterThan(0);
    expect(withCallback[0]?.callback_query).toBeDefined();
  });

  it('should answer errors with the fields of ResponseParameters', async () => {
    emu.injectFault({ api: 'telegram', method: 'getMe', kind: { telegram429: 3 } });
    const res = await fetch(`${emu.telegramApiRoot}/bot${bot.token}/getMe`);
    const body = (await res.json()) as { ok: boolean; error_code: number; parameters: unknown };
    expect(res.status).toBe(429);
    expect(body.error_code).toBe(429);
    expect(checkTgType(tgRef, 'ResponseParameters', body.parameters)).toEqual([]);
  });
});
