/**
 * Questions end to end: an FAQ answer at once in the asker's thread; any other question as a
 * question card with «Ответить» whose answer goes to the thread; a short help in a private chat
 * for a message that is neither, once a day; /stats counts questions apart. Through the emulator.
 */
import { describe, expect, it } from 'vitest';
import { CITY_CHAT, MODERATORS_CHAT, REGIONAL, ZARECHENSK_GROUP } from '../moderation/world.js';
import { startedWorld } from './started-world.js';

describe('questions reach an answer', () => {
  const world = startedWorld();

  const decision = (channel: string, externalId: string) =>
    (world().app.db.prepare('SELECT decision FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId) as { decision: string }).decision;

  it('should answer a question the FAQ knows in its thread at once, in a private chat, a VK dialog and under a post', async () => {
    const asker = 630001;
    const id = await world().telegram(asker, asker, 'Подскажите расписание автобуса №3 на выходные?');
    expect(decision('telegram', `${asker}_${id}`)).toBe('faq');
    expect(world().telegramReplies(asker, id)).toEqual([expect.stringContaining('https://transport.example.ru/timetable')]);

    await world().vkDialog(ZARECHENSK_GROUP, 630002, 'Добрый день! До скольки работает МФЦ в субботу?');
    expect(
      world()
        .emulator.sent()
        .vkMessages.filter((m) => m.peerId === 630002)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('https://mfc.example.ru/offices')]);

    const c = await world().comment(ZARECHENSK_GROUP, 630003, 'Скажите, а во сколько автобус до Сосновки по воскресеньям?');
    expect(world().vkReplies(ZARECHENSK_GROUP, c)).toEqual([expect.stringContaining('https://transport.example.ru/timetable')]);
    expect(world().app.db.prepare("SELECT COUNT(*) AS n FROM incidents WHERE author_key IN ('tg:630001', 'vk:630002', 'vk:630003')").get()).toEqual({ n: 0 });
  });

  it("should answer from the FAQ entry whose problems hold the question's detected problem, whatever its words", async () => {
    const asker = 630010;
    // None of bus_timetable's phrases is in the text; its problem, transport_timetable, is what the detector found.
    const text = world().detector.doubtful('Подскажите, почему пятый автобус теперь ходит раз в час?', 'transport', 'transport_timetable');
    const id = await world().telegram(asker, asker, text);
    expect(decision('telegram', `${asker}_${id}`)).toBe('faq');
    expect(world().telegramReplies(asker, id)).toEqual([expect.stringContaining('https://transport.example.ru/timetable')]);
  });

  it("should send any other question to the moderators as a question card whose «Ответить» answer goes to the asker's thread", async () => {
    const asker = 630004;
    const id = await world().telegram(asker, asker, 'Подскажите, где можно получить справку о составе семьи?');
    expect(decision('telegram', `${asker}_${id}`)).toBe('question');
    const question = world().incidentOf('telegram', `${asker}_${id}`);
    expect(world().telegramReplies(asker, id)).toEqual([`Здравствуйте! Ваш вопрос №${question} передан специалистам, ответ придёт в эту ветку.`]);
    const card = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.messageId === world().card(question).messageId)!;
    expect(card.text).toContain(`Вопрос №${question}`);
    expect(
      world()
        .card(question)
        .buttons.map((b) => b.text),
    ).toEqual(['Ответить', 'Отклонить']);

    await world().press(question, REGIONAL, 'Ответить');
    const prompt = world()
      .emulator.sent()
      .telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && m.replyTo === world().card(question).messageId)
      .at(-1)!;
    await world().telegram(MODERATORS_CHAT, REGIONAL, 'Справку выдают в МФЦ на Мира 3 по паспорту, в день обращения.', prompt.messageId);
    expect(world().telegramReplies(asker).at(-1)).toBe(`Ответ на ваш вопрос №${question}: Справку выдают в МФЦ на Мира 3 по паспорту, в день обращения.`);
    expect(world().status(question)).toBe('answered');

    const stats = await world().command(REGIONAL, '/stats сегодня');
    expect(stats).toMatch(/Вопросов жителей: [1-9]\d*, отвечено: [1-9]\d*\./);
  });

  it('should let a moderator register a «Проверить» note as a question, whose answer goes to the asker', async () => {
    const asker = 630010;
    const text = world().detector.doubtful('А кому вообще писать насчёт льготного проезда для пенсионеров', 'social');
    const id = await world().telegram(asker, asker, text);
    expect(decision('telegram', `${asker}_${id}`)).toBe('review');
    const note = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.text.startsWith('Проверить') && m.text.includes('льготного проезда'))!;
    expect(note.text).toContain('если вопрос: /incident вопрос');
    const reply = await world().telegram(MODERATORS_CHAT, REGIONAL, '/incident вопрос', note.messageId);
    const question = world().incidentOf('telegram', `${asker}_${id}`);
    expect(world().telegramReplies(MODERATORS_CHAT, reply).at(-1)).toContain(`№${question}`);
    expect(world().app.db.prepare('SELECT kind, status FROM incidents WHERE id = ?').get(question)).toEqual({ kind: 'question', status: 'new' });
    expect(
      world()
        .card(question)
        .buttons.map((b) => b.text),
    ).toEqual(['Ответить', 'Отклонить']);
    expect(world().telegramReplies(asker, id)).toEqual([`Здравствуйте! Ваш вопрос №${question} передан специалистам, ответ придёт в эту ветку.`]);
  });

  it('should not take a question to the people of a city chat for one to the authorities', async () => {
    const id = await world().telegram(CITY_CHAT, 630005, 'Кто-нибудь знает, во сколько сегодня открывается рынок?');
    expect(decision('telegram', `${CITY_CHAT}_${id}`)).toBe('ignored');
    expect(world().telegramReplies(CITY_CHAT, id)).toEqual([]);
  });

  it('should give a greeting in a private chat a short help, once a day', async () => {
    const citizen = 630006;
    const first = await world().telegram(citizen, citizen, 'Привет, бот! Ты настоящий?');
    expect(world().telegramReplies(citizen, first)).toEqual([expect.stringContaining('Опишите проблему')]);
    const second = await world().telegram(citizen, citizen, 'Ну ладно, пока');
    expect(world().telegramReplies(citizen, second)).toEqual([]);
    expect(world().telegramReplies(citizen)).toHaveLength(1);
  });
});
