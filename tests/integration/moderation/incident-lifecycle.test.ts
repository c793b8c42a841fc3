import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CHAT, MODERATORS_CHAT, SOSNOVKA_MOD, STRANGER, World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from './world.js';

/**
 * The whole working of one incident through the emulator: a complaint under a VK post, its card
 * in the moderators' Telegram chat, button presses and commands, and what the citizen's thread
 * receives.
 */
describe('incident lifecycle through buttons and commands', () => {
  let world: World;
  let commentId: number;
  let incident: number;
  const citizen = 300001;

  beforeAll(async () => {
    world = await World.start();
    const text = world.detector.appeal('На Садовой 3 не вывозят мусор десять дней, контейнеры переполнены', 'waste', {
      municipalityId: 'zarechensk',
      street: 'Садовая',
      house: '3',
    });
    commentId = await world.comment(ZARECHENSK_GROUP, citizen, text);
    incident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should post a card with the number, topic, municipality, text and the six buttons', () => {
    const card = world.card(incident);
    const message = world.emulator.sent().telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.messageId === card.messageId)!;
    expect(message.parseMode).toBe('HTML');
    expect(message.text).toContain(`Обращение №${incident}`);
    expect(message.text).toContain('мусор');
    expect(message.text).toContain('Городской округ Зареченск');
    expect(message.text).toContain('Садовой 3');
    expect(message.text).toContain('Почему: жалоба');
    expect(card.buttons.map((b) => b.text).sort()).toEqual(['Назначить', 'Ответить', 'Отклонить', 'Принять', 'Уточнить', 'Изменить тему'].sort());
  });

  it('should keep the card message id on the incident once the card is delivered', () => {
    const sent = world.emulator.sent().telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && m.text.includes(`Обращение №${incident}`));
    expect(sent).toHaveLength(1);
    expect(world.app.db.prepare('SELECT card_message_ref AS card FROM incidents WHERE id = ?').get(incident)).toEqual({ card: String(sent[0]!.messageId) });
  });

  it('should refuse a municipal moderator of another municipality, by command and by button', async () => {
    const reply = await world.command(SOSNOVKA_MOD, `/accept ${incident}`);
    expect(reply).toContain('другому муниципалитету');
    const answer = await world.press(incident, SOSNOVKA_MOD, 'Принять');
    expect(answer.showAlert).toBe(true);
    expect(answer.text).toContain('нет прав');
    expect(world.status(incident)).toBe('new');
  });

  it('should refuse a stranger every moderator command and every button', async () => {
    const commands = [
      '/help',
      '/list',
      `/show ${incident}`,
      `/accept ${incident}`,
      `/assign ${incident} zar-blago`,
      `/ask ${incident} где?`,
      `/interim ${incident} скоро`,
      `/answer ${incident} готово`,
      `/close ${incident}`,
      `/reject ${incident} спам`,
      `/reopen ${incident}`,
      `/note ${incident} x`,
      '/find мусор',
      '/stats',
      '/report',
      '/announce Текст',
      '/incident',
    ];
    for (const command of commands) {
      const reply = await world.command(STRANGER, command);
      if (command === '/help') expect(reply, command).toContain('Опишите проблему');
      else expect(reply, command).toContain('только модераторам');
    }
    const answer = await world.press(incident, STRANGER, 'Принять');
    expect(answer.text).toContain('только модераторам');
    const refusals = world.logs.filter((l) => l.author === `tg:${STRANGER}` && String(l.msg).includes('refused'));
    // Every command but /help (which a citizen may send), and the press: each refusal is logged.
    expect(refusals).toHaveLength(commands.length);
    expect(world.status(incident)).toBe('new');
    expect(world.app.db.prepare("SELECT COUNT(*) AS n FROM incident_events WHERE incident_id = ? AND action <> 'created'").get(incident)).toEqual({ n: 0 });
  });

  it('should go new → accepted by the Принять button, answering the press and editing the card', async () => {
    const answer = await world.press(incident, ZARECHENSK_MOD, 'Принять');
    expect(answer.showAlert).toBe(false);
    expect(answer.text).toContain('в работе');
    expect(world.status(incident)).toBe('accepted');
    const edit = world.emulator
      .sent()
      .telegramEdits.filter((e) => e.messageId === world.card(incident).messageId)
      .at(-1)!;
    expect(edit.text).toContain('в работе');
    expect(world.card(incident).buttons.map((b) => b.text)).toEqual(['Уточнить', 'Ответить', 'Назначить', 'Изменить тему']);
  });

  it('should refuse a press on a stale card and refresh it', async () => {
    const card = world.card(incident);
    const staleAccept = `inc:accept:${incident}:new`;
    const answer = await world.pressData(card.messageId, ZARECHENSK_MOD, staleAccept);
    expect(answer.text).toContain('устарела');
    expect(world.status(incident)).toBe('accepted');
  });

  it('should answer a button that needs text with a prompt under the card and the command to type', async () => {
    const answer = await world.press(incident, ZARECHENSK_MOD, 'Ответить');
    expect(answer.text).toContain(`/answer ${incident} и текст ответа`);
    const card = world.card(incident).messageId;
    expect(world.telegramReplies(MODERATORS_CHAT, card).at(-1)).toBe(
      `Обращение №${incident}: ответ жителю. Ответьте на это сообщение текстом ответа или отправьте /answer ${incident} и текст ответа.`,
    );
    await world.press(incident, ZARECHENSK_MOD, 'Назначить');
    expect(world.telegramReplies(MODERATORS_CHAT, card).at(-1)).toContain('zar-blago — Отдел благоустройства Зареченска');
    expect(world.status(incident)).toBe('accepted');
  });

  it('should go accepted → answered by /answer and answered → closed by the Закрыть button', async () => {
    const reply = await world.command(ZARECHENSK_MOD, `/answer ${incident} Вывоз организован сегодня до 18:00, площадку уберут.`);
    expect(reply).toContain('ответ отправлен');
    expect(world.status(incident)).toBe('answered');
    expect(world.card(incident).buttons.map((b) => b.text)).toEqual(['Закрыть', 'Открыть повторно']);
    await world.press(incident, ZARECHENSK_MOD, 'Закрыть');
    expect(world.status(incident)).toBe('closed');
  });

  it("should have given the citizen's thread each update exactly once, in order", () => {
    const replies = world.vkReplies(ZARECHENSK_GROUP, commentId);
    expect(replies).toEqual([
      expect.stringContaining(`обращение №${incident} зарегистрировано`),
      `Обращение №${incident} принято в работу. Ответственный: Отдел благоустройства Зареченска.`,
      `Ответ по обращению №${incident}: Вывоз организован сегодня до 18:00, площадку уберут.`,
      `Обращение №${incident} закрыто. Спасибо, что сообщили о проблеме!`,
    ]);
  });

  it('should record every change as an event with who, old and new status', () => {
    const events = world.app.db
      .prepare("SELECT actor_id, old_value, new_value FROM incident_events WHERE incident_id = ? AND action = 'transition' ORDER BY id")
      .all(incident);
    expect(events).toEqual([
      { actor_id: `tg:${ZARECHENSK_MOD}`, old_value: 'new', new_value: 'accepted' },
      { actor_id: `tg:${ZARECHENSK_MOD}`, old_value: 'accepted', new_value: 'answered' },
      { actor_id: `tg:${ZARECHENSK_MOD}`, old_value: 'answered', new_value: 'closed' },
    ]);
  });

  it('should refuse an illegal transition naming the allowed ones, and change nothing', async () => {
    const reply = await world.command(ZARECHENSK_MOD, `/answer ${incident} ещё раз`);
    expect(reply).toBe(`Обращение №${incident} сейчас «закрыто»: /answer недоступна. Можно: /reopen, /note.`);
    expect(world.vkReplies(ZARECHENSK_GROUP, commentId)).toHaveLength(4);
  });

  it('should reopen, telling the citizen once more', async () => {
    expect(await world.command(ZARECHENSK_MOD, `/reopen ${incident}`)).toContain('открыто повторно');
    expect(world.vkReplies(ZARECHENSK_GROUP, commentId).at(-1)).toBe(`Обращение №${incident} снова в работе. Мы сообщим о ходе работы в этой ветке.`);
    expect(world.vkReplies(ZARECHENSK_GROUP, commentId)).toHaveLength(5);
  });

  it("should not answer anything in the city chat for the moderators' work", () => {
    expect(world.telegramReplies(CITY_CHAT)).toEqual([]);
  });
});
