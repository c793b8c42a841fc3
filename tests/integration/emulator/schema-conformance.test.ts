import { createServer } from 'node:http';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';
import { TELEGRAM_METHODS } from '../../../src/emulator/telegram/telegram-api.js';
import { VK_ERROR_MESSAGES, VK_EXECUTE_TOKEN_TYPES, VK_METHODS } from '../../../src/emulator/vk/vk-api.js';
import type { VkAttachmentSpec } from '../../../src/emulator/vk/vk-media.js';
import {
  checkTgResult,
  checkTgType,
  checkVkResponse,
  checkVkSchema,
  loadMaxReference,
  loadReferences,
  maxJsonSchemas,
  maxSchema,
} from './reference-checkers.js';

const { vk: vkRef, telegram: tgRef } = loadReferences();

let emu: Emulator;
/** Everything a citizen may attach in the emulated VK. */
const CITIZEN_FILES: VkAttachmentSpec[] = [
  { type: 'photo', width: 1600, height: 1200 },
  { type: 'doc', title: 'акт осмотра.pdf' },
  { type: 'video', title: 'Яма', duration: 12 },
  { type: 'sticker' },
];
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
  emu.addComment({ groupId: GROUP_ID, postId, fromId: 502, text: 'Тоже нет воды', replyToCommentId: root, attachments: CITIZEN_FILES });
  emu.addComment({ groupId: GROUP_ID, postId, fromId: -GROUP_ID, text: 'Подача воды восстановлена', replyToCommentId: root });
  emu.sendCommunityMessage({
    groupId: GROUP_ID,
    fromId: CITIZEN,
    text: 'Яма на дороге',
    attachments: [...CITIZEN_FILES, { type: 'audio_message', duration: 4 }],
    geo: { latitude: 55.75, longitude: 37.62 },
  });
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

  it("should carry citizens' attachments and locations in comments, messages and long poll events, in the schema's shape", async () => {
    const comments = (await vkCall('wall.getComments', { owner_id: -GROUP_ID, post_id: postId, thread_items_count: 10, preview_length: 0 }, tokens.user))
      .response as {
      items: { thread?: { items: { attachments?: { type: string; photo?: { sizes: { type: string; url: string; width: number }[] } }[] }[] } }[];
    };
    const withFiles = comments.items.flatMap((c) => c.thread?.items ?? []).find((c) => c.attachments);
    expect(withFiles?.attachments?.map((a) => a.type)).toEqual(['photo', 'doc', 'video', 'sticker']);
    const sizes = withFiles!.attachments![0]!.photo!.sizes;
    expect(sizes.at(-1)).toMatchObject({ width: 1600 });
    const served = await fetch(sizes.at(-1)!.url);
    expect(served.status).toBe(200);
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const history = await vkCall('messages.getHistory', { peer_id: CITIZEN, count: 200 }, tokens.group);
    expect(checkVkResponse(vkRef, 'messages.getHistory', history)).toEqual([]);
    const sent = (history.response as { items: { text: string; geo?: unknown; attachments: { type: string }[] }[] }).items.find(
      (m) => m.text === 'Яма на дороге',
    );
    expect(sent?.geo).toEqual({ type: 'point', coordinates: { latitude: 55.75, longitude: 37.62 }, showmap: 1 });
    expect(sent?.attachments.map((a) => a.type)).toEqual(['photo', 'doc', 'video', 'sticker', 'audio_message']);
  });

  it('should refuse attachments it cannot make', () => {
    expect(() => emu.addComment({ groupId: GROUP_ID, postId, fromId: CITIZEN, text: 'x', attachments: [{ type: 'photo', width: -1 }] })).toThrow(/positive/);
    expect(() => emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: CITIZEN, geo: { latitude: 91, longitude: 0 } })).toThrow(/latitude/);
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
    emu.sendCommunityMessage({
      groupId: GROUP_ID,
      fromId: CITIZEN,
      text: 'Ещё одна яма',
      attachments: [{ type: 'photo' }],
      geo: { latitude: 55.1, longitude: 37.2 },
    });
    emu.addComment({ groupId: GROUP_ID, postId, fromId: 503, text: 'Мусор не вывозят', attachments: [{ type: 'photo' }, { type: 'doc', title: 'фото.jpg' }] });
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
    emu.sendTelegramMessage({ chatId: GROUP_CHAT, fromId: 900, text: 'Вот яма', photo: { width: 1600, height: 1200 }, mediaGroupId: 'album1', threadId: 5 });
    emu.sendTelegramMessage({ chatId: GROUP_CHAT, fromId: 900, photo: {}, mediaGroupId: 'album1', threadId: 5 });
    emu.sendTelegramMessage({ chatId: 900, fromId: 900, text: 'Акт', document: { fileName: 'акт.pdf', mimeType: 'application/pdf', size: 12_345 } });
    emu.sendTelegramMessage({ chatId: 900, fromId: 900, video: { duration: 9 } });
    emu.sendTelegramMessage({ chatId: 900, fromId: 900, voice: { duration: 3 } });
    emu.sendTelegramMessage({ chatId: 900, fromId: 900, location: { latitude: 55.75, longitude: 37.62 } });
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
    const photos = updates.flatMap((u) => ((u as { message?: { photo?: { file_id: string }[] } }).message?.photo ?? []).slice(-1)).map((p) => p.file_id);
    expect(photos).toHaveLength(2);
    const file = (await call('getFile', { file_id: photos[0] })) as { file_path: string; file_size: number };
    const download = await fetch(`${emu.telegramApiRoot}/file/bot${bot.token}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(file.file_size);
    const photoCard = (await call('sendPhoto', {
      chat_id: GROUP_CHAT,
      photo: photos[0],
      caption: '<b>Обращение №2</b>',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Принять', callback_data: 'accept:2' }]] },
    })) as { message_id: number };
    await call('editMessageCaption', { chat_id: GROUP_CHAT, message_id: photoCard.message_id, caption: '<b>Обращение №2</b> принято', parse_mode: 'HTML' });
    const album = [
      { type: 'photo', media: photos[0], caption: 'Фото к обращению №2' },
      { type: 'photo', media: photos[1] },
    ];
    for (const item of album) expect(checkTgType(tgRef, 'InputMediaPhoto', item)).toEqual([]);
    await call('sendMediaGroup', { chat_id: GROUP_CHAT, media: album, reply_parameters: { message_id: photoCard.message_id } });
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
    for (const update of updates) expect(checkTgType(tgRef, 'Update', update), JSON.stringify(update)).toEqual([]);
    const carried = updates.map((u) =>
      Object.keys((u as unknown as { message: Record<string, unknown> }).message)
        .filter((k) => ['photo', 'document', 'video', 'voice', 'location', 'media_group_id', 'caption'].includes(k))
        .sort()
        .join('+'),
    );
    expect(carried).toEqual(['', 'caption+media_group_id+photo', 'media_group_id+photo', 'caption+document', 'video', 'voice', 'location']);
    expect(withCallback[0]?.callback_query).toBeDefined();
  });

  it('should refuse what Telegram refuses about files and captions', async () => {
    const text = (await tg('sendMessage', { chat_id: GROUP_CHAT, text: 'без фото' })).result as { message_id: number };
    expect((await tg('sendPhoto', { chat_id: GROUP_CHAT, photo: 'AgACnot-a-real-id' })).description).toBe(
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
    expect((await tg('editMessageCaption', { chat_id: GROUP_CHAT, message_id: text.message_id, caption: 'x' })).description).toBe(
      'Bad Request: there is no caption in the message to edit',
    );
    expect((await tg('getFile', { file_id: 'nope' })).description).toBe('Bad Request: invalid file_id');
    expect((await tg('sendMediaGroup', { chat_id: GROUP_CHAT, media: [{ type: 'photo', media: 'https://example.invalid/a.jpg' }] })).description).toMatch(
      /2-10 items/,
    );
    const photoMessage = emu.sendTelegramMessage({ chatId: 900, fromId: 900, photo: { size: 30 * 1024 * 1024 } });
    const updates = (await tg('getUpdates', {})).result as { message?: { message_id: number; photo?: { file_id: string }[] } }[];
    const big = updates.find((u) => u.message?.message_id === photoMessage)?.message?.photo?.at(-1)?.file_id;
    expect((await tg('getFile', { file_id: big })).description).toBe('Bad Request: file is too big');
    expect((await fetch(`${emu.telegramApiRoot}/file/bot${bot.token}/photos/../../etc/passwd`)).status).toBe(404);
    expect(() => emu.sendTelegramMessage({ chatId: 900, fromId: 900, text: 'тут', location: { latitude: 1, longitude: 2 } })).toThrow(/no text/);
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

// === MAX

describe('MAX Bot API against the MAX OpenAPI schema', () => {
  const maxRef = loadMaxReference();
  const definitions = maxJsonSchemas(maxRef);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = (schema: Record<string, unknown>, value: unknown): string[] => {
    const check = ajv.compile(maxSchema(maxRef, schema, definitions));
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
  const TOKEN = 'max-conformance-token';
  const CHAT = -70_000_000_700;
  const CHANNEL = -70_000_000_701;
  const CITIZEN_ID = 600_001;
  let maxEmu: Emulator;
  let post: string;

  beforeAll(async () => {
    maxEmu = await Emulator.start({ seed: 11 });
    maxEmu.addMaxBot({ token: TOKEN, username: 'otklik_max_bot' });
    maxEmu.addMaxUser({ id: CITIZEN_ID, firstName: 'Ольга', lastName: 'Кузнецова' });
    maxEmu.addMaxChat({ chatId: CHAT, type: 'chat', title: 'Дом Ленина 5' });
    maxEmu.addMaxChat({ chatId: CHANNEL, type: 'channel', title: 'Администрация' });
    post = maxEmu.addMaxPost({ chatId: CHANNEL, text: 'Отключение воды' });
  });

  afterAll(async () => {
    await maxEmu.close();
  });

  async function max(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${maxEmu.maxApiBaseUrl}${path}`, {
      method,
      headers: { authorization: TOKEN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: await res.json() };
  }

  it('should catch bodies that break the schema', () => {
    expect(validate(maxRef.operations.sendMessage!.response, { message: { recipient: {}, timestamp: 'now', body: { seq: 1 } } })).not.toEqual([]);
    expect(validate({ $ref: '#/components/schemas/Update' }, { update_type: 'message_created', timestamp: 1 })).not.toEqual([]);
    expect(validate({ $ref: '#/components/schemas/Update' }, { update_type: 'no_such_update', timestamp: 1 })).not.toEqual([]);
  });

  it('should serve only operations of the schema, each request and answer in its shape', async () => {
    const dialog = maxEmu.sendMaxMessage({ chatId: CITIZEN_ID, fromId: CITIZEN_ID, text: 'Нет воды' });
    const comment = maxEmu.addMaxComment({ postMid: post, fromId: CITIZEN_ID, text: 'Когда дадут воду?' });
    const keyboard = { type: 'inline_keyboard', payload: { buttons: [[{ type: 'callback', text: 'Принять', payload: 'a:1:new' }]] } };
    const upload = (await max('POST', '/uploads?type=image')).json as { url: string };
    const form = new FormData();
    form.set('data', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' }), 'chart.png');
    const photo = await (await fetch(upload.url, { method: 'POST', body: form })).json();
    const sends: Record<string, { method: string; path: string; body?: unknown; after?: () => void }> = {
      getMyInfo: { method: 'GET', path: '/me' },
      getUpdates: { method: 'GET', path: '/updates?timeout=0&types=message_created,comment_created,message_callback' },
      sendMessage: {
        method: 'POST',
        path: `/messages?chat_id=${CITIZEN_ID}`,
        body: {
          text: '<b>Обращение №1</b> зарегистрировано',
          format: 'html',
          link: { type: 'reply', mid: dialog },
          attachments: [{ type: 'image', payload: photo }, keyboard],
        },
      },
      getMessages: { method: 'GET', path: `/messages?chat_id=${CITIZEN_ID}&count=10` },
      sendComment: {
        method: 'POST',
        path: `/messages/${post}/comments`,
        body: { text: 'Обращение №2 зарегистрировано', link: { type: 'reply', mid: comment } },
      },
      getComments: { method: 'GET', path: `/messages/${post}/comments?count=10` },
      getUploadUrl: { method: 'POST', path: '/uploads?type=image' },
      getSubscriptions: { method: 'GET', path: '/subscriptions' },
      subscribe: {
        method: 'POST',
        path: '/subscriptions',
        body: { url: 'http://127.0.0.1:9/max/webhook', secret: 'secret_123', update_types: ['message_created'] },
      },
      unsubscribe: { method: 'DELETE', path: `/subscriptions?url=${encodeURIComponent('http://127.0.0.1:9/max/webhook')}` },
    };
    expect(Object.keys(sends).sort()).toEqual(
      Object.keys(maxRef.operations)
        .filter((id) => id !== 'editMessage' && id !== 'answerOnCallback')
        .sort(),
    );
    const results: Record<string, unknown> = {};
    for (const [id, call] of Object.entries(sends)) {
      const op = maxRef.operations[id]!;
      if (op.request) expect(validate(op.request, call.body), `${id} request`).toEqual([]);
      const { status, json } = await max(call.method, call.path, call.body);
      expect(status, `${id}: ${JSON.stringify(json)}`).toBe(200);
      expect(validate(op.response, json), id).toEqual([]);
      results[id] = json;
    }
    const sent = (results.sendMessage as { message: { body: { mid: string } } }).message.body.mid;
    const edit = { text: 'Обращение №1 принято', format: 'html', attachments: [keyboard] };
    expect(validate(maxRef.operations.editMessage!.request!, edit)).toEqual([]);
    const edited = await max('PUT', `/messages?message_id=${sent}`, edit);
    expect(validate(maxRef.operations.editMessage!.response, edited.json)).toEqual([]);
    const callbackId = maxEmu.pressMaxButton({ mid: sent, fromId: CITIZEN_ID, payload: 'a:1:new' });
    const answer = { notification: 'Принято' };
    expect(validate(maxRef.operations.answerOnCallback!.request!, answer)).toEqual([]);
    const answered = await max('POST', `/answers?callback_id=${callbackId}`, answer);
    expect(validate(maxRef.operations.answerOnCallback!.response, answered.json)).toEqual([]);
    // The updates: a message, a comment and (now) a press, each in the shape of its Update subtype.
    const updates = (await max('GET', '/updates?timeout=0')).json as { updates: { update_type: string }[] };
    expect(updates.updates.map((u) => u.update_type)).toEqual(['message_created', 'comment_created', 'message_callback']);
    for (const update of updates.updates) expect(validate({ $ref: '#/components/schemas/Update' }, update), update.update_type).toEqual([]);
  });

  it('should answer errors, 429 and 503 in the shape of Error', async () => {
    const unauthorized = await fetch(`${maxEmu.maxApiBaseUrl}/me`, { headers: { authorization: 'wrong' } });
    expect(unauthorized.status).toBe(401);
    expect(validate({ $ref: '#/components/schemas/Error' }, await unauthorized.json())).toEqual([]);
    const missing = await max('POST', '/messages?chat_id=1', { text: 'x' });
    expect(missing.status).toBe(404);
    expect(validate({ $ref: '#/components/schemas/Error' }, missing.json)).toEqual([]);
    for (const status of [429, 503]) {
      maxEmu.injectFault({ api: 'max', method: 'getMyInfo', kind: { httpStatus: status } });
      const faulted = await max('GET', '/me');
      expect(faulted.status).toBe(status);
      expect(validate({ $ref: '#/components/schemas/Error' }, faulted.json)).toEqual([]);
    }
  });

  it('should push webhook updates in the shape of Update with the secret, until answered 200', async () => {
    const bodies: { secret: unknown; update: unknown }[] = [];
    let refuse = 1;
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      req.on('end', () => {
        bodies.push({ secret: req.headers['x-max-bot-api-secret'], update: JSON.parse(raw) });
        res.writeHead(refuse-- > 0 ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Commit what earlier tests left unread, so only the new update is pushed.
    const { marker } = (await max('GET', '/updates?timeout=0')).json as { marker: number };
    await max('GET', `/updates?timeout=0&marker=${marker}`);
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
      expect((await max('POST', '/subscriptions', { url, secret: 'hook_secret_1' })).status).toBe(200);
      maxEmu.sendMaxMessage({ chatId: CHAT, fromId: CITIZEN_ID, text: 'В подъезде не горит свет' });
      const deadline = Date.now() + 10_000;
      while (maxEmu.pendingMaxUpdates() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(bodies).toHaveLength(2);
      expect(bodies.map((b) => b.secret)).toEqual(['hook_secret_1', 'hook_secret_1']);
      for (const { update } of bodies) expect(validate({ $ref: '#/components/schemas/Update' }, update)).toEqual([]);
    } finally {
      await max('DELETE', '/subscriptions?url=x');
      server.close();
    }
  });
});
