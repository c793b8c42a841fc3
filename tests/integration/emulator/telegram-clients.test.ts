import http from 'node:http';
import type { Telegram } from 'telegraf';
import { Telegraf, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';

const FORUM = -1002000000001;
const CITIZEN = 700;
const MODERATOR = 701;
let emu: Emulator;
let bot: Telegraf;
let tg: Telegram;
let botId: number;

async function rejection(promise: Promise<unknown>): Promise<TelegramError> {
  try {
    await promise;
  } catch (error) {
    return error as TelegramError;
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  emu = await Emulator.start({ seed: 5 });
  const added = emu.addBot({ username: 'otklik_bot' });
  botId = added.id;
  emu.addTgUser({ id: CITIZEN, firstName: 'Ольга', username: 'olga' });
  emu.addTgUser({ id: MODERATOR, firstName: 'Игорь' });
  emu.addChat({ id: CITIZEN, type: 'private' });
  emu.addChat({ id: FORUM, type: 'supergroup', title: 'Модераторы МЦУ', isForum: true, topics: [3] });
  bot = new Telegraf(added.token, { telegram: { apiRoot: emu.telegramApiRoot, agent: new http.Agent() } });
  tg = bot.telegram;
});

afterEach(async () => {
  await emu.close();
});

describe('telegraf against the Telegram emulator', () => {
  it('should hold getUpdates until a message arrives and confirm it with offset', async () => {
    const held = tg.getUpdates(25, 100, 0, undefined);
    const messageId = emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: '/start' });
    const updates = await held;
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ message: { message_id: messageId, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    const next = (updates[0]?.update_id ?? 0) + 1;
    expect(await tg.getUpdates(0, 100, next, undefined)).toEqual([]);
    expect(emu.countRequests({ api: 'telegram', method: 'getUpdates' })).toBe(2);
  });

  it('should serve a corrupt fault with its effects and the named fields of the result replaced', async () => {
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { corrupt: { chat: 'broken', date: null } } });
    const sent = (await tg.sendMessage(CITIZEN, 'Обращение №1 зарегистрировано')) as unknown as Record<string, unknown>;
    expect(sent.chat).toBe('broken');
    expect(sent).not.toHaveProperty('date');
    expect(emu.sent().telegramMessages.map((m) => m.text)).toEqual(['Обращение №1 зарегистрировано']);
    expect(emu.countRequests({ api: 'telegram', method: 'sendMessage' })).toBe(1);
  });

  it('should end the older of two overlapping getUpdates with 409 Conflict', async () => {
    const older = rejection(tg.getUpdates(25, 100, 0, undefined));
    await emu.waitForHeldPoll('telegram');
    const newer = tg.getUpdates(25, 100, 0, undefined);
    expect(await older).toMatchObject({ code: 409, description: expect.stringMatching(/^Conflict: terminated by other getUpdates/) });
    await emu.waitForHeldPoll('telegram');
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'привет' });
    expect(await newer).toHaveLength(1);
  });

  it('should reply in a forum topic with reply_parameters and an inline keyboard', async () => {
    const question = emu.sendTelegramMessage({ chatId: FORUM, fromId: CITIZEN, text: 'Нет света на Лесной', threadId: 3 });
    const sent = await tg.sendMessage(FORUM, '<b>Обращение №12</b> зарегистрировано', {
      parse_mode: 'HTML',
      message_thread_id: 3,
      reply_parameters: { message_id: question },
      reply_markup: { inline_keyboard: [[{ text: 'Принять', callback_data: 'accept:12' }]] },
      link_preview_options: { is_disabled: true },
    });
    expect(sent).toMatchObject({
      text: 'Обращение №12 зарегистрировано',
      entities: [{ type: 'bold', offset: 0, length: 13 }],
      message_thread_id: 3,
      reply_to_message: { message_id: question },
      from: { id: botId, is_bot: true },
    });
    const legacy = await tg.sendMessage(FORUM, 'ещё ответ', { reply_to_message_id: question, message_thread_id: 3 } as never);
    expect(legacy.reply_to_message?.message_id).toBe(question);
    expect(emu.sent().telegramMessages.map((m) => [m.chatId, m.replyTo, m.threadId, m.parseMode])).toEqual([
      [FORUM, question, 3, 'HTML'],
      [FORUM, question, 3, undefined],
    ]);
    expect(await rejection(tg.sendMessage(FORUM, 'x', { message_thread_id: 99 }))).toMatchObject({
      code: 400,
      description: 'Bad Request: message thread not found',
    });
  });

  it('should refuse bad markup, oversized button data and overlong text like Telegram', async () => {
    const refused = async (p: Promise<unknown>): Promise<string> => (await rejection(p)).description;
    expect(await refused(tg.sendMessage(CITIZEN, '<b>жирный', { parse_mode: 'HTML' }))).toMatch(/^Bad Request: can't parse entities: Can't find end tag/);
    expect(await refused(tg.sendMessage(CITIZEN, '<blink>x</blink>', { parse_mode: 'HTML' }))).toMatch(/Unsupported start tag "blink"/);
    expect(await refused(tg.sendMessage(CITIZEN, 'Принято.', { parse_mode: 'MarkdownV2' }))).toMatch(/Character '\.' is reserved/);
    expect(await refused(tg.sendMessage(CITIZEN, 'я'.repeat(4097)))).toBe('Bad Request: message is too long');
    const data = 'x'.repeat(65);
    expect(await refused(tg.sendMessage(CITIZEN, 'кнопка', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: data }]] } }))).toBe(
      'Bad Request: BUTTON_DATA_INVALID',
    );
    expect(await tg.sendMessage(CITIZEN, '*Принято*\\.', { parse_mode: 'MarkdownV2' })).toMatchObject({ text: 'Принято.' });
    expect(emu.sent().telegramMessages).toHaveLength(1);
  });

  it('should deliver pressed buttons as callback queries and record the answers', async () => {
    const card = await tg.sendMessage(FORUM, 'Обращение №3', {
      reply_markup: { inline_keyboard: [[{ text: 'Принять', callback_data: 'accept:3' }]] },
    });
    expect(() => emu.pressButton({ chatId: FORUM, messageId: card.message_id, fromId: MODERATOR, data: 'close:3' })).toThrow(/no button/);
    const queryId = emu.pressButton({ chatId: FORUM, messageId: card.message_id, fromId: MODERATOR, data: 'accept:3' });
    emu.pressButton({ chatId: FORUM, messageId: card.message_id, fromId: MODERATOR, data: 'forged', forge: true });
    const updates = await tg.getUpdates(0, 100, 0, undefined);
    expect(updates.map((u) => ('callback_query' in u ? (u.callback_query as { data?: string }).data : undefined))).toEqual(['accept:3', 'forged']);
    expect(updates[0]).toMatchObject({ callback_query: { id: queryId, from: { id: MODERATOR }, message: { message_id: card.message_id } } });
    expect(await tg.answerCbQuery(queryId, 'Принято', { show_alert: true })).toBe(true);
    expect((await rejection(tg.answerCbQuery(queryId))).description).toMatch(/query is too old/);
    expect(emu.sent().callbackAnswers).toEqual([{ botId, callbackQueryId: queryId, text: 'Принято', showAlert: true }]);
  });

  it('should edit text and markup, and refuse an edit that changes nothing', async () => {
    const card = await tg.sendMessage(FORUM, 'Статус: новое', { reply_markup: { inline_keyboard: [[{ text: 'Принять', callback_data: 'a' }]] } });
    const edited = await tg.editMessageText(FORUM, card.message_id, undefined, 'Статус: в работе');
    expect(edited).toMatchObject({ text: 'Статус: в работе' });
    expect(edited).not.toHaveProperty('reply_markup');
    expect((await rejection(tg.editMessageText(FORUM, card.message_id, undefined, 'Статус: в работе'))).description).toMatch(
      /^Bad Request: message is not modified/,
    );
    await tg.editMessageReplyMarkup(FORUM, card.message_id, undefined, { inline_keyboard: [[{ text: 'Закрыть', callback_data: 'c' }]] });
    expect(emu.sent().telegramEdits.map((e) => e.kind)).toEqual(['text', 'reply_markup']);
  });

  it('should accept a photo upload as multipart', async () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    const message = await tg.sendPhoto(CITIZEN, { source: photo, filename: 'yama.jpg' }, { caption: 'Фото ямы' });
    expect(message.caption).toBe('Фото ямы');
    expect(message.photo.length).toBeGreaterThan(0);
    expect(emu.sent().telegramPhotos[0]).toMatchObject({ chatId: CITIZEN, caption: 'Фото ямы', photo: { filename: 'yama.jpg', size: photo.length } });
  });

  it('should surface 429 with retry_after to telegraf', async () => {
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { telegram429: 7 } });
    const error = await rejection(tg.sendMessage(CITIZEN, 'Ответ'));
    expect(error).toBeInstanceOf(TelegramError);
    expect(error.code).toBe(429);
    expect(error.parameters).toEqual({ retry_after: 7 });
    expect(emu.sent().telegramMessages).toHaveLength(0);
    await tg.sendMessage(CITIZEN, 'Ответ');
    expect(emu.sent().telegramMessages).toHaveLength(1);
  });

  it('should surface HTTP 502, malformed bodies, unknown tokens and unknown methods', async () => {
    emu.injectFault({ api: 'telegram', method: 'getMe', kind: { httpStatus: 502 } });
    expect(await rejection(tg.getMe())).toMatchObject({ code: 502 });
    emu.injectFault({ api: 'telegram', method: 'getMe', kind: { malformed: true } });
    expect(await rejection(tg.getMe())).toBeInstanceOf(Error);
    emu.injectFault({ api: 'telegram', method: 'getMe', kind: { malformed: 'shape' } });
    expect(await tg.getMe()).toBeUndefined();
    const stranger = new Telegraf('123:unknown', { telegram: { apiRoot: emu.telegramApiRoot } }).telegram;
    expect(await rejection(stranger.getMe())).toMatchObject({ code: 401, description: 'Unauthorized' });
    expect(await rejection(tg.callApi('noSuchMethod' as never, {} as never))).toMatchObject({ code: 404, description: 'Not Found' });
  });

  it('should run a polling Telegraf bot end to end', async () => {
    const replied = new Promise<void>((resolve) => {
      bot.command('status', async (ctx) => {
        await ctx.reply('Обращение №1: в работе', { reply_parameters: { message_id: ctx.message.message_id } });
        resolve();
      });
    });
    bot.catch(() => undefined);
    const launched = bot.launch({ dropPendingUpdates: true });
    await emu.waitForHeldPoll('telegram');
    const asked = emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: '/status' });
    await replied;
    bot.stop('test');
    await launched;
    expect(emu.sent().telegramMessages).toMatchObject([{ chatId: CITIZEN, replyTo: asked, text: 'Обращение №1: в работе' }]);
  });
});
