import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITY_CHAT,
  MODERATORS_CHAT,
  REGIONAL,
  SOSNOVKA_GROUP,
  SOSNOVKA_MOD,
  STRANGER,
  VK_MODERATOR,
  World,
  ZARECHENSK_GROUP,
  ZARECHENSK_MOD,
} from './world.js';

const WORD_JOINER = '\u2060';

describe('citizens, duplicates, validation and hostile input through the emulator', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  describe('a citizen asking about incidents in a private chat', () => {
    const owner = 400001;
    const other = 400002;
    let own: number;

    beforeAll(async () => {
      const text = world.detector.appeal('Во дворе на Школьной 4 сломаны качели, торчат острые края', 'improvement', {
        municipalityId: 'zarechensk',
        street: 'Школьная',
      });
      const id = await world.telegram(owner, owner, text);
      own = world.incidentOf('telegram', `${owner}_${id}`);
    });

    it('should tell the author the status of their own incident by /status and by «статус N»', async () => {
      const id1 = await world.telegram(owner, owner, `/status ${own}`);
      const id2 = await world.telegram(owner, owner, `статус №${own}`);
      for (const id of [id1, id2])
        expect(world.telegramReplies(owner, id)).toEqual([expect.stringMatching(new RegExp(`^Обращение №${own}: новое\\. Тема: благоустройство`))]);
      const mine = await world.telegram(owner, owner, 'мои обращения');
      expect(world.telegramReplies(owner, mine)[0]).toContain(`№${own} от`);
    });

    it('should tell someone else nothing about it: the same answer as for a number that does not exist', async () => {
      const asked = await world.telegram(other, other, `/status ${own}`);
      const missing = await world.telegram(other, other, '/status 999999');
      const theirs = world.telegramReplies(other, asked)[0]!;
      expect(theirs).toBe(`Обращение №${own} не найдено среди ваших обращений. Проверьте номер или напишите «мои обращения».`);
      expect(world.telegramReplies(other, missing)[0]).toBe(theirs.replace(String(own), '999999'));
      expect(theirs).not.toContain('качели');
      const mine = await world.telegram(other, other, 'мои обращения');
      expect(world.telegramReplies(other, mine)[0]).toContain('пока нет обращений');
    });

    it('should not read «статус N» in a public chat as a command, nor answer /status there with the status', async () => {
      const phrase = await world.telegram(CITY_CHAT, owner, `статус ${own}`);
      expect(world.telegramReplies(CITY_CHAT, phrase)).toEqual([]);
      const command = await world.telegram(CITY_CHAT, owner, `/status ${own}`);
      expect(world.telegramReplies(CITY_CHAT, command)[0]).toContain('в личных сообщениях');
    });
  });

  describe('many citizens reporting the same problem', () => {
    it('should link them to one incident and give each the status updates once', async () => {
      const place = { municipalityId: 'zarechensk', street: 'Ленина' };
      const first = world.detector.appeal('Нет воды на Ленина 20 с утра', 'housing', place);
      const second = world.detector.appeal('На Ленина тоже нет воды, что случилось?', 'housing', place);
      const third = world.detector.appeal('Ленина 5 без воды', 'housing', place);
      const c1 = await world.comment(ZARECHENSK_GROUP, 410001, first);
      const c2 = await world.comment(ZARECHENSK_GROUP, 410002, second);
      const m3 = await world.telegram(CITY_CHAT, 410003, third);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c1}`);
      expect(world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c2}`)).toBe(incident);
      expect(world.incidentOf('telegram', `${CITY_CHAT}_${m3}`)).toBe(incident);
      expect(world.vkReplies(ZARECHENSK_GROUP, c2)).toEqual([
        `Здравствуйте! Об этой проблеме уже сообщили, обращение №${incident} в работе. Мы сообщим о ходе работы в этой ветке.`,
      ]);
      expect(world.emulator.sent().telegramEdits.find((e) => e.messageId === world.card(incident).messageId && e.text?.includes('Сообщили: 3'))).toBeDefined();

      await world.command(ZARECHENSK_MOD, `/accept ${incident} zar-vodokanal`);
      await world.command(ZARECHENSK_MOD, `/interim ${incident} Авария на водоводе, ремонт до 18:00.`);
      const accepted = `Обращение №${incident} принято в работу. Ответственный: МУП «Зареченский водоканал».`;
      const interim = `Промежуточный ответ по обращению №${incident}: Авария на водоводе, ремонт до 18:00.`;
      expect(world.vkReplies(ZARECHENSK_GROUP, c1).slice(1)).toEqual([accepted, interim]);
      expect(world.vkReplies(ZARECHENSK_GROUP, c2).slice(1)).toEqual([accepted, interim]);
      expect(world.telegramReplies(CITY_CHAT, m3).slice(1)).toEqual([accepted, interim]);
      // A linked reporter may ask about the incident as their own.
      const asked = await world.telegram(410003, 410003, `статус ${incident}`);
      expect(world.telegramReplies(410003, asked)[0]).toMatch(new RegExp(`^Обращение №${incident}: в работе\\.`));
    });

    it('should not link the same problem in another municipality', async () => {
      const a = world.detector.appeal('Нет воды на Центральной в Сосновке', 'housing', { municipalityId: 'sosnovka', street: 'Центральная' });
      const b = world.detector.appeal('Нет воды на Центральной', 'housing', { municipalityId: 'zarechensk', street: 'Центральная' });
      const ca = await world.comment(SOSNOVKA_GROUP, 420001, a);
      const cb = await world.comment(ZARECHENSK_GROUP, 420002, b);
      expect(world.incidentOf('vk_comment', `-${SOSNOVKA_GROUP}_${ca}`)).not.toBe(world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${cb}`));
    });
  });

  describe('command arguments', () => {
    let incident: number;

    beforeAll(async () => {
      const text = world.detector.appeal('На Гагарина 9 яма на дороге у остановки', 'roads', { municipalityId: 'zarechensk', street: 'Гагарина' });
      const c = await world.comment(ZARECHENSK_GROUP, 430001, text);
      incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
    });

    it('should explain each malformed command and change nothing', async () => {
      const max = world.config.incidents.maxReplyLength;
      const cases: [string, string][] = [
        ['/answer', 'Не указан номер обращения. Использование: /answer N текст'],
        ['/answer abc текст', '«abc» — не номер обращения.'],
        ['/answer 987654 текст', 'Обращения №987654 нет.'],
        [`/answer ${incident}`, 'Не указан текст. Использование: /answer N текст'],
        [`/answer ${incident} ${'я'.repeat(max + 1)}`, `Текст длиннее ${max} символов`],
        [`/assign ${incident}`, 'Не указан отдел.'],
        [`/assign ${incident} reg-nowhere`, 'Неизвестный отдел «reg-nowhere»'],
        [`/assign ${incident} sos-admin`, 'Неизвестный отдел «sos-admin»'],
        [
          `/close ${incident}`,
          `Обращение №${incident} сейчас «новое»: /close недоступна. Можно: /accept, /ask, /interim, /answer, /reject, /assign, /take, /topic, /note.`,
        ],
        [`/close ${incident} сейчас`, 'Лишние слова после номера.'],
        ['/list погода', 'Не понял «погода»'],
        ['/stats вчерашний', 'Не понял период'],
        ['/find ab', 'не меньше трёх букв'],
        ['/incident', 'ответом на сообщение жителя'],
        ['/frobnicate 1', 'Неизвестная команда /frobnicate'],
      ];
      for (const [command, expected] of cases) expect(await world.command(ZARECHENSK_MOD, command), command).toContain(expected);
      expect(world.status(incident)).toBe('new');
      expect(world.app.db.prepare("SELECT COUNT(*) AS n FROM incident_events WHERE incident_id = ? AND action <> 'created'").get(incident)).toEqual({ n: 0 });
    });

    it("should list, show and find within the moderator's scope", async () => {
      expect(await world.command(ZARECHENSK_MOD, '/list дороги')).toContain(`№${incident} · новое · дороги`);
      expect(await world.command(ZARECHENSK_MOD, '/list sosnovka')).toContain('только обращения своего муниципалитета');
      expect(await world.command(REGIONAL, '/list sosnovka')).toContain('Центральной в Сосновке');
      const show = await world.command(ZARECHENSK_MOD, `/show ${incident}`);
      expect(show).toContain('Управление дорожного хозяйства Зареченска');
      expect(show).toContain('История:');
      expect(await world.command(ZARECHENSK_MOD, '/find Гагарина')).toContain(`№${incident}`);
      expect(await world.command(ZARECHENSK_MOD, '/find Сосновке')).toContain('Ничего не найдено');
      expect(await world.command(REGIONAL, '/stats')).toMatch(/всего \d+/);
    });

    it("should name the people in /show's history and say which department was assigned", async () => {
      await world.command(ZARECHENSK_MOD, `/assign ${incident} zar-blago`);
      await world.command(REGIONAL, `/topic ${incident} благоустройство`);
      const show = await world.command(ZARECHENSK_MOD, `/show ${incident}`);
      const history = show.slice(show.indexOf('История:'));
      expect(history).toContain('Олег Зареченский — назначен отдел: Отдел благоустройства Зареченска');
      expect(history).toContain('Анна Региональная — изменена тема: дороги → благоустройство');
      expect(history).toMatch(/система — зарегистрировано/);
      expect(history).not.toMatch(/tg:\d+/);
      await world.command(ZARECHENSK_MOD, `/assign ${incident} zar-roads`);
      await world.command(REGIONAL, `/topic ${incident} дороги`);
    });

    it("should keep an internal note out of the citizen's thread", async () => {
      const before = world.emulator.sent().vkComments.length;
      expect(await world.command(ZARECHENSK_MOD, `/note ${incident} Звонил подрядчику, выезд завтра`)).toContain('заметка сохранена');
      expect(world.emulator.sent().vkComments.length).toBe(before);
    });
  });

  describe('hostile input', () => {
    it('should refuse forged, unknown and misplaced button data', async () => {
      const text = world.detector.appeal('Не горят фонари на Пушкина', 'improvement', { municipalityId: 'zarechensk', street: 'Пушкина' });
      const c = await world.comment(ZARECHENSK_GROUP, 440001, text);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
      const card = world.card(incident);
      expect((await world.pressData(card.messageId, ZARECHENSK_MOD, 'garbage')).text).toContain('не работает');
      expect((await world.pressData(card.messageId, ZARECHENSK_MOD, 'inc:accept:99999:new')).text).toContain('не относится');
      expect((await world.pressData(card.messageId, ZARECHENSK_MOD, 'inc:delete:1:new')).text).toContain('не работает');
      // A real button's data replayed under another incident's card.
      const other = world.detector.appeal('Не горят фонари на Мира', 'improvement', { municipalityId: 'zarechensk', street: 'Мира' });
      const c2 = await world.comment(ZARECHENSK_GROUP, 440002, other);
      const otherCard = world.card(world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c2}`));
      expect((await world.pressData(otherCard.messageId, ZARECHENSK_MOD, `inc:accept:${incident}:new`)).text).toContain('не относится');
      expect(world.status(incident)).toBe('new');
    });

    it("should quote citizens in cards as HTML text and keep moderators' words from mentioning anyone on VK", async () => {
      const text = world.detector.appeal('<b>Срочно</b> @all [id1|Админ] на Садовой лужа & грязь', 'improvement', {
        municipalityId: 'zarechensk',
        street: 'Садовая',
      });
      const c = await world.comment(ZARECHENSK_GROUP, 450001, text);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
      const card = world.emulator.sent().telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.messageId === world.card(incident).messageId)!;
      expect(card.text).toContain('<b>Срочно</b>');
      expect(card.entities.filter((e) => e.type === 'bold').length).toBe(1);
      expect(card.text).toContain(`@${WORD_JOINER}all`);
      await world.command(ZARECHENSK_MOD, `/answer ${incident} Уберём. [id1|Админ] и [club1|Группа] @all *id5 уже в курсе`);
      expect(world.vkReplies(ZARECHENSK_GROUP, c).at(-1)).toBe(
        `Ответ по обращению №${incident}: Уберём. (id1|Админ) и (club1|Группа) @${WORD_JOINER}all *${WORD_JOINER}id5 уже в курсе`,
      );
    });
  });

  describe('other places moderators work from', () => {
    it('should accept commands from a VK moderator in the community dialog and answer there', async () => {
      const text = world.detector.appeal('На Набережной 2 нет горячей воды', 'housing', { municipalityId: 'zarechensk', street: 'Набережная' });
      const c = await world.comment(ZARECHENSK_GROUP, 460001, text);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
      await world.vkDialog(ZARECHENSK_GROUP, VK_MODERATOR, `/accept ${incident}`);
      expect(world.status(incident)).toBe('accepted');
      const reply = world.emulator
        .sent()
        .vkMessages.filter((m) => m.peerId === VK_MODERATOR)
        .at(-1)!;
      expect(reply.text).toContain(`Обращение №${incident}: принято в работу`);
      await world.vkDialog(ZARECHENSK_GROUP, VK_MODERATOR, '/report');
      const report = world.emulator
        .sent()
        .vkMessages.filter((m) => m.peerId === VK_MODERATOR)
        .at(-1)!.text;
      expect(report).toContain('Сводка за сегодня');
      expect(report).not.toMatch(/<\/?[a-z]+>|&lt;|&amp;/);
      await world.vkDialog(ZARECHENSK_GROUP, 460099, `/accept ${incident}`);
      expect(
        world.emulator
          .sent()
          .vkMessages.filter((m) => m.peerId === 460099)
          .at(-1)!.text,
      ).toContain('только модераторам');
    });

    it("should carry out a reply to a button's prompt as the command, with the same checks", async () => {
      const text = world.detector.appeal('На Победы 17 второй месяц не работает лифт', 'housing', { municipalityId: 'zarechensk', street: 'Победы' });
      const c = await world.comment(ZARECHENSK_GROUP, 465001, text);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
      await world.press(incident, ZARECHENSK_MOD, 'Уточнить');
      const prompt = world.emulator
        .sent()
        .telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && m.replyTo === world.card(incident).messageId)
        .at(-1)!;
      // A stranger's reply to the prompt is refused like their command.
      const stranger = await world.telegram(MODERATORS_CHAT, STRANGER, 'Какой подъезд?', prompt.messageId);
      expect(world.telegramReplies(MODERATORS_CHAT, stranger)[0]).toContain('только модераторам');
      expect(world.status(incident)).toBe('new');
      const reply = await world.telegram(MODERATORS_CHAT, ZARECHENSK_MOD, 'Уточните номер подъезда, пожалуйста.', prompt.messageId);
      expect(world.telegramReplies(MODERATORS_CHAT, reply)[0]).toBe(`Обращение №${incident}: житель получил вопрос.`);
      expect(world.status(incident)).toBe('needs_info');
      expect(world.vkReplies(ZARECHENSK_GROUP, c).at(-1)).toBe(
        `По обращению №${incident} нужно уточнение: Уточните номер подъезда, пожалуйста.\nОтветьте, пожалуйста, в этой ветке.`,
      );
      // The citizen answers in their thread: the incident is back in work and the moderators read the answer under the card.
      await world.comment(ZARECHENSK_GROUP, 465001, 'Подъезд 3, @all');
      expect(world.status(incident)).toBe('accepted');
      expect(world.telegramReplies(MODERATORS_CHAT, world.card(incident).messageId).at(-1)).toBe(
        `Житель ответил на уточнение по обращению №${incident}, оно снова в работе:\n«Подъезд 3, @\u2060all»`,
      );
      // An ordinary reply to any other bot message is just talk.
      const talk = await world.telegram(MODERATORS_CHAT, ZARECHENSK_MOD, 'Беру', world.card(incident).messageId);
      expect(world.telegramReplies(MODERATORS_CHAT, talk)).toEqual([]);
    });

    it("should register a doubtful VK comment with /incident in reply to the bot's «Проверить» note", async () => {
      const text = world.detector.doubtful('Интересно, а кто-нибудь будет чинить лавочки в сквере на Мира?', 'improvement');
      const c = await world.comment(ZARECHENSK_GROUP, 475001, text);
      expect(world.vkReplies(ZARECHENSK_GROUP, c)).toEqual([]);
      const note = world.emulator
        .sent()
        .telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && m.text.startsWith('Проверить'))
        .at(-1)!;
      expect(note.text).toContain('/incident');
      expect(note.text).toContain('тема благоустройство');
      expect(note.text).not.toContain('improvement');
      const otherMunicipality = await world.telegram(MODERATORS_CHAT, SOSNOVKA_MOD, '/incident', note.messageId);
      expect(world.telegramReplies(MODERATORS_CHAT, otherMunicipality)[0]).toContain('другому муниципалитету');
      const command = await world.telegram(MODERATORS_CHAT, ZARECHENSK_MOD, '/incident', note.messageId);
      const incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`);
      expect(world.telegramReplies(MODERATORS_CHAT, command)[0]).toBe(`Зарегистрировано обращение №${incident}.`);
      expect(world.vkReplies(ZARECHENSK_GROUP, c)).toEqual([expect.stringContaining(`обращение №${incident} зарегистрировано`)]);
      expect(world.app.db.prepare('SELECT topic, municipality_id FROM incidents WHERE id = ?').get(incident)).toEqual({
        topic: 'improvement',
        municipality_id: 'zarechensk',
      });
      const again = await world.telegram(MODERATORS_CHAT, ZARECHENSK_MOD, '/incident', note.messageId);
      expect(world.telegramReplies(MODERATORS_CHAT, again)[0]).toBe(`Это сообщение уже относится к обращению №${incident}.`);
    });

    it('should register a message the detector missed with /incident in reply to it', async () => {
      const missed = await world.telegram(CITY_CHAT, 470001, 'Третий день во дворе Мира 14 стоит брошенная машина без колёс');
      expect(() => world.incidentOf('telegram', `${CITY_CHAT}_${missed}`)).toThrow();
      const command = await world.telegram(CITY_CHAT, REGIONAL, '/incident благоустройство', missed);
      expect(world.telegramReplies(CITY_CHAT, command)[0]).toMatch(/^Зарегистрировано обращение №\d+\.$/);
      const incident = world.incidentOf('telegram', `${CITY_CHAT}_${missed}`);
      expect(world.telegramReplies(CITY_CHAT, missed)).toEqual([expect.stringContaining(`обращение №${incident} зарегистрировано`)]);
      const row = world.app.db.prepare('SELECT topic, municipality_id FROM incidents WHERE id = ?').get(incident);
      expect(row).toEqual({ topic: 'improvement', municipality_id: 'zarechensk' });
      const again = await world.telegram(CITY_CHAT, STRANGER, '/incident', missed);
      expect(world.telegramReplies(CITY_CHAT, again)[0]).toContain('только модераторам');
    });
  });
});
