import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedbackRows } from '../../../src/store/label-store.js';
import { CITY_CHAT, MODERATORS_CHAT, REGIONAL, World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from './world.js';

/**
 * Problems on cards, in /list and /show, and moderators' corrections as labels for the detector:
 * /topic with a problem, the card's «Изменить тему» keyboard, /reject as not an appeal, /reopen,
 * /incident on a missed message — through the emulator, with the detections the test declares.
 */
describe('problems and learning from moderators', () => {
  let world: World;
  const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };
  const labels = () =>
    world.app.db.prepare('SELECT message_id, incident_id, label, topic, problem, action, moderator_key FROM moderator_labels ORDER BY id').all() as Record<
      string,
      unknown
    >[];
  const incident = (id: number) =>
    world.app.db.prepare('SELECT topic, problem, urgency, department_id FROM incidents WHERE id = ?').get(id) as Record<string, unknown>;
  const cardText = (id: number) => {
    const messageId = world.card(id).messageId;
    const edits = world.emulator.sent().telegramEdits.filter((e) => e.chatId === MODERATORS_CHAT && e.messageId === messageId);
    return edits.at(-1)?.text ?? world.emulator.sent().telegramMessages.find((m) => m.messageId === messageId && m.chatId === MODERATORS_CHAT)!.text;
  };
  async function complaint(author: number, text: string, topic: 'housing' | 'improvement', problem: string | null): Promise<number> {
    world.detector.appeal(text, topic, lenina, 'normal', problem);
    const commentId = await world.comment(ZARECHENSK_GROUP, author, text);
    return world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
  }

  beforeAll(async () => {
    world = await World.start();
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should show the problem on the card, in /show and /list, and find the incident by the problem', async () => {
    const hot = await complaint(810001, 'На Ленина 5 третий день нет горячей воды', 'housing', 'no_hot_water');
    const roof = await complaint(810002, 'На Ленина 7 течёт крыша', 'housing', 'roof_icicles');
    expect(cardText(hot)).toContain('Тема: ЖКХ · Нет горячей воды');
    // Routing preferred the problem's kind of body: the water utility among the owners of ЖКХ.
    expect(incident(hot)).toMatchObject({ problem: 'no_hot_water', department_id: 'zar-vodokanal' });
    expect(await world.command(ZARECHENSK_MOD, `/show ${hot}`)).toContain('Тема: ЖКХ · Нет горячей воды; МО: Городской округ Зареченск');
    const list = await world.command(ZARECHENSK_MOD, '/list гвс');
    expect(list).toContain(`№${hot} · новое · ЖКХ · Нет горячей воды`);
    expect(list).not.toContain(`№${roof}`);
  });

  it('should correct the problem by /topic: the card edited, an event, a label, and routing follows when it was automatic', async () => {
    const id = await complaint(810003, 'На Ленина 9 опять проблемы с водой', 'housing', 'water_quality');
    expect(await world.command(ZARECHENSK_MOD, `/topic ${id} нет холодной воды`)).toBe(`Обращение №${id}: тема изменена — ЖКХ · Нет холодной воды.`);
    expect(incident(id)).toEqual({ topic: 'housing', problem: 'no_cold_water', urgency: 'emergency', department_id: 'zar-vodokanal' });
    await world.until(() => cardText(id).includes('Нет холодной воды'), 'the card to be edited');
    expect(cardText(id)).toContain('СРОЧНО');
    expect(await world.command(ZARECHENSK_MOD, `/topic ${id} благоустройство`)).toBe(`Обращение №${id}: тема изменена — благоустройство.`);
    expect(incident(id)).toMatchObject({ topic: 'improvement', problem: null, department_id: 'zar-blago' });
    expect(await world.command(ZARECHENSK_MOD, `/topic ${id} погода`)).toContain('Неизвестная тема или проблема «погода»');
    expect(labels().filter((l) => l.incident_id === id)).toEqual([
      expect.objectContaining({ label: 'complaint', topic: 'housing', problem: 'no_cold_water', action: 'topic', moderator_key: `tg:${ZARECHENSK_MOD}` }),
      expect.objectContaining({ label: 'complaint', topic: 'improvement', problem: null, action: 'topic' }),
    ]);
  });

  it("should offer topics, then the topic's problems, on the card in keyboards of at most 10 buttons, and apply the choice", async () => {
    const id = await complaint(810004, 'На Ленина 11 в подъезде холодно', 'housing', null);
    expect(world.card(id).buttons.map((b) => b.text)).toContain('Изменить тему');
    const opened = await world.press(id, ZARECHENSK_MOD, 'Изменить тему');
    expect(opened.text).toBe(`Обращение №${id}: выберите тему, затем проблему`);
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'ЖКХ'), 'the topics keyboard');
    const topics = world.card(id).buttons.map((b) => b.text);
    expect(topics).toEqual(['ЖКХ', 'дороги', 'мусор', 'транспорт', 'благоустройство', 'здравоохранение', 'образование', 'соцзащита', 'Отмена', 'Ещё ›']);
    await world.press(id, ZARECHENSK_MOD, 'ЖКХ');
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'Только тема, без проблемы'), 'the problems keyboard');
    const housing = world.card(id).buttons;
    expect(housing.length).toBeLessThanOrEqual(10);
    expect(housing.map((b) => b.text).slice(0, 3)).toEqual(['Только тема, без проблемы', 'Нет холодной воды', 'Нет горячей воды']);
    expect(housing.every((b) => Buffer.byteLength(b.callback_data) <= 64)).toBe(true);
    await world.press(id, ZARECHENSK_MOD, 'Ещё ›');
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'Лифт'), 'the second page of problems');
    expect(
      world
        .card(id)
        .buttons.map((b) => b.text)
        .slice(-2),
    ).toEqual(['‹ Назад', 'Отмена']);
    const answer = await world.press(id, ZARECHENSK_MOD, 'Лифт');
    expect(answer.text).toBe(`Обращение №${id}: тема изменена — ЖКХ · Лифт.`);
    expect(incident(id)).toMatchObject({ topic: 'housing', problem: 'lift' });
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'Принять'), "the card's own buttons");
    expect(cardText(id)).toContain('Тема: ЖКХ · Лифт');
    expect(labels().filter((l) => l.incident_id === id)).toEqual([expect.objectContaining({ topic: 'housing', problem: 'lift', action: 'topic' })]);
  });

  it('should give the card its buttons back on cancel, and refuse forged keyboard data', async () => {
    const id = await complaint(810005, 'На Ленина 13 во дворе темно', 'improvement', null);
    await world.press(id, ZARECHENSK_MOD, 'Изменить тему');
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'Отмена'), 'the topics keyboard');
    expect((await world.press(id, ZARECHENSK_MOD, 'Отмена')).text).toBe(`Обращение №${id}: тема не изменилась`);
    await world.until(() => world.card(id).buttons.some((b) => b.text === 'Принять'), "the card's own buttons");
    const card = world.card(id).messageId;
    for (const data of [`inc:topic:${id}:new:!weather`, `inc:accept:${id}:new:t0`, `inc:topic:${id}:new:p0.weather`]) {
      expect((await world.pressData(card, ZARECHENSK_MOD, data)).text, data).toContain('Эта кнопка не работает');
    }
    expect(incident(id)).toMatchObject({ topic: 'improvement', problem: null });
  });

  it('should label a rejection as not an appeal only when the reason says so, and take it back on /reopen', async () => {
    const spam = await complaint(810006, 'Продам гараж на Ленина, недорого', 'housing', null);
    const elsewhere = await complaint(810007, 'На Ленина 15 сломана лавочка', 'improvement', null);
    expect(await world.command(ZARECHENSK_MOD, `/reject ${spam} Спам: объявление о продаже`)).toContain('отклонено');
    expect(await world.command(ZARECHENSK_MOD, `/reject ${elsewhere} не по адресу, это частная территория`)).toContain('отклонено');
    expect(labels().filter((l) => l.incident_id === spam)).toEqual([
      expect.objectContaining({ label: 'not_complaint', topic: null, problem: null, action: 'reject' }),
    ]);
    expect(labels().filter((l) => l.incident_id === elsewhere)).toEqual([]);
    const stats = await world.command(REGIONAL, '/stats');
    expect(stats).toMatch(
      /Детектор за неделю \(\d\d\.\d\d–\d\d\.\d\d\): сам зарегистрировал 7, из них не обращения 1 — точность 86%; тема исправлена у 1 \(17%\), проблема — у 1 \(17%\)/,
    );
    await world.command(ZARECHENSK_MOD, `/reopen ${spam}`);
    expect(
      labels()
        .filter((l) => l.incident_id === spam)
        .at(-1),
    ).toMatchObject({ label: 'complaint', topic: 'housing', action: 'reopen' });
  });

  it('should label a message the detector missed when a moderator registers it by /incident with a problem', async () => {
    const missed = await world.telegram(CITY_CHAT, 810008, 'Соседи, у кого тоже на Ленина нет горячей воды?');
    const command = await world.telegram(CITY_CHAT, REGIONAL, '/incident гвс', missed);
    expect(world.telegramReplies(CITY_CHAT, command)[0]).toMatch(/^Зарегистрировано обращение №\d+\.$/);
    const id = world.incidentOf('telegram', `${CITY_CHAT}_${missed}`);
    expect(incident(id)).toMatchObject({ topic: 'housing', problem: 'no_hot_water' });
    expect(labels().at(-1)).toMatchObject({
      incident_id: id,
      label: 'complaint',
      topic: 'housing',
      problem: 'no_hot_water',
      action: 'incident',
      moderator_key: `tg:${REGIONAL}`,
    });
  });

  it('should give the labels as training rows, the latest label of a message winning, with its text', () => {
    const rows = readFeedbackRows(world.app.db);
    expect(rows.find((r) => r.text === 'Продам гараж на Ленина, недорого')).toMatchObject({ label: 'complaint', topic: 'housing', problem: null });
    expect(rows.find((r) => r.text === 'На Ленина 11 в подъезде холодно')).toMatchObject({ label: 'complaint', topic: 'housing', problem: 'lift' });
    expect(rows.find((r) => r.text === 'Соседи, у кого тоже на Ленина нет горячей воды?')).toMatchObject({ label: 'complaint', problem: 'no_hot_water' });
    expect(rows.every((r) => /^feedback:\d+$/.test(r.id))).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});
