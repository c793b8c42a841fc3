/**
 * What an operator's and a citizen's review of the merged lifecycle found, each driven through the
 * emulator: status updates exactly once, long texts delivered rather than refused, and rights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import { CITY_CHAT, MODERATORS_CHAT, REGIONAL, VK_MODERATOR, World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from './world.js';

const REGION_GROUP = 210001;

describe('review findings through the emulator', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should send both intermediate answers when /interim is given twice with different texts', async () => {
    const text = world.detector.appeal('На Садовой 3 не вывозят мусор десять дней', 'waste', { municipalityId: 'zarechensk', street: 'Садовая' });
    const commentId = await world.comment(ZARECHENSK_GROUP, 610001, text);
    const id = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
    await world.command(REGIONAL, `/accept ${id}`);
    await world.command(REGIONAL, `/interim ${id} Машина выйдет завтра утром.`);
    await world.command(REGIONAL, `/interim ${id} Машина вышла, вывоз до 12:00.`);
    const interims = world.vkReplies(ZARECHENSK_GROUP, commentId).filter((t) => t.startsWith('Промежуточный ответ'));
    expect(interims).toEqual([
      `Промежуточный ответ по обращению №${id}: Машина выйдет завтра утром.`,
      `Промежуточный ответ по обращению №${id}: Машина вышла, вывоз до 12:00.`,
    ]);
  });

  it('should carry out a command message delivered twice only once', async () => {
    const text = world.detector.appeal('На Молодёжной 7 не чистят снег', 'improvement', { municipalityId: 'zarechensk', street: 'Молодёжная' });
    const commentId = await world.comment(ZARECHENSK_GROUP, 610002, text);
    const id = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
    const commandId = await world.telegram(MODERATORS_CHAT, REGIONAL, `/answer ${id} Двор очистят сегодня.`);
    const redelivered: InboundMessage = {
      channel: 'telegram',
      externalId: `${MODERATORS_CHAT}_${commandId}`,
      thread: { channel: 'telegram', chatId: MODERATORS_CHAT, messageId: commandId },
      author: { platform: 'telegram', id: REGIONAL, name: 'Анна', isBot: false },
      text: `/answer ${id} Двор очистят сегодня.`,
      attachments: [],
      source: { platform: 'telegram', chatId: MODERATORS_CHAT, chatType: 'supergroup', title: 'ЦУР: модераторы', username: null },
      isPrivate: false,
      createdAt: Date.now(),
    };
    world.app.ingest.ingestBatch([redelivered]);
    await world.settled();
    expect(world.vkReplies(ZARECHENSK_GROUP, commentId).filter((t) => t.startsWith('Ответ по обращению'))).toHaveLength(1);
    expect(world.telegramReplies(MODERATORS_CHAT, commandId)).toHaveLength(1);
  });

  it('should deliver an answer whose escaping makes it longer than Telegram allows, cut and well-formed', async () => {
    const citizen = 610003;
    const text = world.detector.appeal('На Заводской 15 из крана течёт ржавая вода', 'housing', { municipalityId: 'zarechensk', street: 'Заводская' });
    const messageId = await world.telegram(CITY_CHAT, citizen, text);
    const id = world.incidentOf('telegram', `${CITY_CHAT}_${messageId}`);
    // 2 800 characters, within incidents.maxReplyLength; each @ gains a word joiner when escaped.
    const answer = `${'@a'.repeat(1399)}😊`;
    expect(await world.command(REGIONAL, `/answer ${id} ${answer}`)).toContain('ответ отправлен жителю');
    const dead = world.app.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'dead'").get() as { n: number };
    expect(dead.n).toBe(0);
    const [sent] = world.telegramReplies(CITY_CHAT, messageId).filter((t) => t.startsWith('Ответ по обращению'));
    expect(sent).toBeDefined();
    expect(sent!.length).toBeLessThanOrEqual(4096);
    expect(sent!.isWellFormed()).toBe(true);
    expect(sent!.endsWith('…')).toBe(true);
  });

  it('should not run a moderator command written in a public chat or under a public post, so nothing internal is shown to citizens', async () => {
    const citizen = 610004;
    const text = world.detector.appeal('На Пушкина 10 не горят фонари две недели', 'improvement', { municipalityId: 'zarechensk', street: 'Пушкина' });
    const messageId = await world.telegram(CITY_CHAT, citizen, text);
    const id = world.incidentOf('telegram', `${CITY_CHAT}_${messageId}`);

    for (const command of ['/list', `/show ${id}`, '/find фонари', '/stats', `/close ${id}`]) {
      const asked = await world.telegram(CITY_CHAT, REGIONAL, command);
      expect(world.telegramReplies(CITY_CHAT, asked)).toEqual([
        'Команды модератора работают только в чате модераторов и в личных сообщениях боту: здесь их видят жители.',
      ]);
    }
    expect(world.status(id)).toBe('new');
    // A command the bot does not know, in a public chat, is someone else's business: no reply at all.
    const unknown = await world.telegram(CITY_CHAT, REGIONAL, '/weather');
    expect(world.telegramReplies(CITY_CHAT, unknown)).toEqual([]);
    const underPost = await world.comment(ZARECHENSK_GROUP, VK_MODERATOR, `/show ${id}`);
    expect(world.vkReplies(ZARECHENSK_GROUP, underPost).join('\n')).not.toContain('фонари');
    expect(world.logs.some((l) => l.msg === 'moderator command outside the moderators chat and private dialogs: refused')).toBe(true);
  });

  it('should acknowledge an incident with no department yet in a sentence that reads right', async () => {
    const text = world.detector.appeal('Во дворе сломаны качели, торчат острые края', 'housing');
    const commentId = await world.comment(REGION_GROUP, 610005, text);
    const id = world.incidentOf('vk_comment', `-${REGION_GROUP}_${commentId}`);
    expect(world.vkReplies(REGION_GROUP, commentId)).toEqual([
      `Здравствуйте! Ваше обращение №${id} зарегистрировано. Ответственный: специалисты центра управления. Мы сообщим о ходе работы в этой ветке.`,
    ]);
  });

  it('should leave a command addressed to another bot in a group to that bot', async () => {
    const citizen = 610006;
    const other = await world.telegram(CITY_CHAT, citizen, '/help@weather_bot');
    expect(world.telegramReplies(CITY_CHAT, other)).toEqual([]);
    const ours = await world.telegram(CITY_CHAT, citizen, '/help@otklik_test_bot');
    expect(world.telegramReplies(CITY_CHAT, ours)).toHaveLength(1);
    const moderatorAsksOther = await world.telegram(MODERATORS_CHAT, REGIONAL, '/list@weather_bot');
    expect(world.telegramReplies(MODERATORS_CHAT, moderatorAsksOther)).toEqual([]);
  });

  it("should name a municipal moderator's municipality in /help, not its config id", async () => {
    const help = await world.command(ZARECHENSK_MOD, '/help');
    expect(help.split('\n')[0]).toBe('Команды модератора (муниципальный: обращения МО «Городской округ Зареченск»):');
  });
});
