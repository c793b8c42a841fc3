/**
 * New problem or follow-up, end to end: real vk-io and telegraf clients against the emulator.
 * The conversations are written for these tests; the test's detector says which texts are
 * appeals (and of which topic), threading itself is the real rule.
 */
import { describe, expect, it } from 'vitest';
import { CITY_CHAT, ZARECHENSK_MOD as MODERATOR, MODERATORS_CHAT, ZARECHENSK_GROUP } from '../moderation/world.js';
import { startedWorld } from './started-world.js';

const Z = { municipalityId: 'zarechensk' };

describe('conversations: a new problem is its own incident, an addition joins its incident', () => {
  const world = startedWorld();

  const decision = (channel: string, externalId: string) =>
    world().app.db.prepare('SELECT decision, incident_id AS incidentId FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId) as {
      decision: string;
      incidentId: number | null;
    };
  const cardsOf = (incident: number) =>
    world().app.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE purpose = 'card' AND incident_id = ?").get(incident) as { n: number };
  const reviewNotes = () =>
    world()
      .emulator.sent()
      .telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && m.text.startsWith('Проверить'));

  it('should register a traffic light reported under a post about rubbish as its own incident, and take a reply to the acknowledgement as an addition', async () => {
    const author = 610001;
    const rubbish = world().detector.appeal('Контейнеры на Садовой 3 не вывозят уже десять дней, мусор лежит горой, крысы бегают.', 'waste', {
      ...Z,
      street: 'Садовая',
    });
    const first = await world().comment(ZARECHENSK_GROUP, author, rubbish);
    const rubbishIncident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${first}`);

    const light = world().detector.appeal('И ещё: на перекрёстке не работает светофор, чуть не сбили ребёнка!', 'roads', Z);
    const second = await world().comment(ZARECHENSK_GROUP, author, light);
    const lightIncident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${second}`);
    expect(lightIncident).not.toBe(rubbishIncident);
    expect(world().vkReplies(ZARECHENSK_GROUP, second)).toEqual([expect.stringContaining(`обращение №${lightIncident} зарегистрировано`)]);
    expect(cardsOf(lightIncident).n).toBe(1);

    // The citizen answers the bot's acknowledgement of the rubbish in its thread.
    const ack = world()
      .emulator.sent()
      .vkComments.find((c) => c.ownerId === -ZARECHENSK_GROUP && c.replyToComment === first)!;
    const more = await world().comment(ZARECHENSK_GROUP, author, 'Сегодня утром опять не приехали, площадку уже не видно', ack.commentId);
    expect(decision('vk_comment', `-${ZARECHENSK_GROUP}_${more}`)).toEqual({ decision: 'followup', incidentId: rubbishIncident });
  });

  it("should judge a reply to the acknowledgement by the incident's problem as a moderator corrected it", async () => {
    const author = 610010;
    const first = await world().comment(
      ZARECHENSK_GROUP,
      author,
      world().detector.appeal('На Мира 8 в квартирах холодно, горячей воды тоже нет', 'housing', { ...Z, street: 'Мира' }, 'normal', 'no_hot_water'),
    );
    const incident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${first}`);
    await world().command(MODERATOR, `/topic ${incident} отопление`);
    const ack = world()
      .emulator.sent()
      .vkComments.find((c) => c.ownerId === -ZARECHENSK_GROUP && c.replyToComment === first)!;
    // A confident complaint of the corrected problem joins the incident; of another problem it is its own.
    const heating = world().detector.appeal('Батареи на Мира 8 до сих пор ледяные', 'housing', { ...Z, street: 'Мира' }, 'normal', 'heating');
    const more = await world().comment(ZARECHENSK_GROUP, author, heating, ack.commentId);
    expect(decision('vk_comment', `-${ZARECHENSK_GROUP}_${more}`)).toEqual({ decision: 'followup', incidentId: incident });
    const lift = world().detector.appeal('И лифт на Мира 8 встал', 'housing', { ...Z, street: 'Мира' }, 'normal', 'lift');
    const other = await world().comment(ZARECHENSK_GROUP, author, lift, ack.commentId);
    expect(decision('vk_comment', `-${ZARECHENSK_GROUP}_${other}`).incidentId).not.toBe(incident);
  });

  it("should ignore the same person's chatter in a city chat and register their next complaint", async () => {
    const author = 610002;
    const lift = world().detector.appeal('На Победы 17 второй месяц не работает лифт, а у нас девятый этаж и мама после операции', 'housing', {
      ...Z,
      street: 'Победы',
    });
    const first = await world().telegram(CITY_CHAT, author, lift);
    const liftIncident = world().incidentOf('telegram', `${CITY_CHAT}_${first}`);

    const chatter = await world().telegram(CITY_CHAT, author, 'Ребят, кто знает хорошего сантехника?');
    expect(decision('telegram', `${CITY_CHAT}_${chatter}`)).toEqual({ decision: 'ignored', incidentId: null });
    expect(world().telegramReplies(CITY_CHAT, chatter)).toEqual([]);

    const pipe = world().detector.appeal('А теперь ещё в подвале прорвало трубу, кипяток заливает подъезд!', 'housing', { ...Z, street: 'Победы' });
    const burst = await world().telegram(CITY_CHAT, author, pipe);
    const pipeIncident = world().incidentOf('telegram', `${CITY_CHAT}_${burst}`);
    expect(pipeIncident).not.toBe(liftIncident);
    expect(world().telegramReplies(CITY_CHAT, burst)).toEqual([expect.stringContaining(`обращение №${pipeIncident} зарегистрировано`)]);
    expect(cardsOf(pipeIncident).n).toBe(1);

    // More about the lift, in plain text within the window: an addition to the lift.
    const again = world().detector.appeal('Лифт так и стоит, соседка с коляской не может спуститься', 'housing', Z);
    const moreLift = await world().telegram(CITY_CHAT, author, again);
    expect(decision('telegram', `${CITY_CHAT}_${moreLift}`)).toEqual({ decision: 'followup', incidentId: liftIncident });
  });

  it('should send a reply to the acknowledgement that names another problem of the same topic to the moderators, not into the incident', async () => {
    const author = 610003;
    const heating = world().detector.appeal('В квартире 16 градусов, батареи еле тёплые, Ленина 12', 'housing', { ...Z, street: 'Ленина' });
    const first = await world().telegram(CITY_CHAT, author, heating);
    const incident = world().incidentOf('telegram', `${CITY_CHAT}_${first}`);
    const ack = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === CITY_CHAT && m.replyTo === first)!;

    const other = world().detector.appeal('И на лестнице третий день нет света, дети спотыкаются', 'housing', Z);
    const reply = await world().telegram(CITY_CHAT, author, other, ack.messageId);
    expect(decision('telegram', `${CITY_CHAT}_${reply}`)).toEqual({ decision: 'review', incidentId: null });
    expect(world().telegramReplies(CITY_CHAT, reply)).toEqual([]);
    expect(reviewNotes().at(-1)!.text).toContain(`обращение №${incident}`);
    expect(reviewNotes().at(-1)!.text).toContain('дети спотыкаются');
  });

  it("should take a private chat's reply to the acknowledgement as an addition and a new complaint there as a new incident", async () => {
    const author = 610004;
    const swing = world().detector.appeal('Во дворе дома Школьная 4 сломаны качели, торчат острые края', 'improvement', { ...Z, street: 'Школьная' });
    const first = await world().telegram(author, author, swing);
    const swingIncident = world().incidentOf('telegram', `${author}_${first}`);
    const ack = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === author && m.replyTo === first)!;

    const detail = await world().telegram(author, author, 'Это площадка за вторым подъездом, у гаражей', ack.messageId);
    expect(decision('telegram', `${author}_${detail}`)).toEqual({ decision: 'followup', incidentId: swingIncident });
    expect(world().telegramReplies(author, detail)).toEqual([`Спасибо, дополнение к обращению №${swingIncident} передано ответственным.`]);

    const dogs = world().detector.appeal('И ещё возле школы стая бездомных собак кидается на детей', 'safety', Z);
    const second = await world().telegram(author, author, dogs);
    const dogsIncident = world().incidentOf('telegram', `${author}_${second}`);
    expect(dogsIncident).not.toBe(swingIncident);
  });

  it('should keep two problems written to the community dialog apart and join more words about the first to it', async () => {
    const author = 610005;
    const heating = world().detector.appeal('Здравствуйте. На Мира 8 уже неделю холодные батареи, дети болеют.', 'housing', { ...Z, street: 'Мира' });
    await world().vkDialog(ZARECHENSK_GROUP, author, heating);
    const first = world().app.db.prepare('SELECT incident_id AS id FROM messages WHERE text = ?').get(heating) as { id: number };

    const lights = world().detector.appeal('Ещё во дворе не горят фонари, вечером ходить страшно.', 'improvement', Z);
    await world().vkDialog(ZARECHENSK_GROUP, author, lights);
    const second = world().app.db.prepare('SELECT incident_id AS id FROM messages WHERE text = ?').get(lights) as { id: number };
    expect(second.id).not.toBe(first.id);

    await world().vkDialog(ZARECHENSK_GROUP, author, 'Батареи так и холодные, в комнате 15 градусов');
    expect(world().app.db.prepare("SELECT decision, incident_id AS id FROM messages WHERE text LIKE 'Батареи так и холодные%'").get()).toEqual({
      decision: 'followup',
      id: first.id,
    });

    await world().vkDialog(ZARECHENSK_GROUP, author, 'Спасибо, жду');
    expect(world().app.db.prepare("SELECT decision FROM messages WHERE text = 'Спасибо, жду'").get()).toEqual({ decision: 'ignored' });
  });
});
