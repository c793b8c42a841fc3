import { describe, expect, it } from 'vitest';
import { handleAnnounce, parseAnnounce } from '../../../src/moderation/commands/announce.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident } from './seed.js';

function setup() {
  const db = jobsDb();
  const config = testConfig();
  const clock = new ManualClock(msk('2026-11-23T12:00:00'));
  const regional = config.moderators.find((m) => m.role === 'regional' && m.platform === 'telegram')!;
  const zarechensk = config.moderators.find((m) => m.municipalityId === 'zarechensk')!;
  return { db, config, clock, regional, zarechensk };
}

describe('/announce', () => {
  it('should reach each community, chat and open incident thread of the topic and street exactly once', () => {
    const { db, config, clock, zarechensk } = setup();
    const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };
    const sharedThread = { channel: 'telegram' as const, chatId: -1001000000001, messageId: 77 };
    const open1 = seedIncident(db, { createdAt: clock.current - 3_600_000, topic: 'housing', place: lenina });
    const open2 = seedIncident(db, { createdAt: clock.current - 3_000_000, topic: 'housing', place: lenina, status: 'accepted', thread: sharedThread });
    const open3 = seedIncident(db, { createdAt: clock.current - 2_000_000, topic: 'housing', place: lenina, thread: sharedThread });
    seedIncident(db, { createdAt: clock.current, topic: 'housing', place: lenina, status: 'closed' });
    seedIncident(db, { createdAt: clock.current, topic: 'housing', place: { street: 'Мира' } });
    seedIncident(db, { createdAt: clock.current, topic: 'roads', place: lenina });
    seedIncident(db, { createdAt: clock.current, topic: 'housing', municipalityId: 'sosnovka', place: { street: 'Ленина' } });

    const args = 'zarechensk тема=ЖКХ улица=Ленина Работы по восстановлению водоснабжения на ул. Ленина завершатся к 18:00';
    const ctx = { stores: createStores(db), config, clock: clock.now, moderator: zarechensk, requestKey: 'tg:-1001000000099:501' };
    const reply = handleAnnounce(args, ctx);
    expect(reply.text).toBe(
      `Объявление №1 поставлено в очередь: 2 площадки, 2 ответа в ветках обращений (3 открытых обращения: №${open1}, №${open2}, №${open3}).`,
    );

    const rows = outboxRows(db, 'announce');
    const destinations = rows.map((r) => JSON.parse(r.destination_json) as Record<string, unknown>);
    // The community wall of Zarechensk, its city chat, and the threads of three open incidents, two of which share one message.
    expect(destinations).toEqual([
      { kind: 'vk_wall_post', groupId: 210002 },
      { kind: 'telegram', chatId: -1001000000001 },
      expect.objectContaining({ kind: 'vk_comment', groupId: 210002 }),
      { kind: 'telegram', chatId: -1001000000001, replyToMessageId: 77 },
    ]);
    expect(new Set(rows.map((r) => r.destination_json)).size).toBe(rows.length);
    expect(rows[0]!.text).toBe('Работы по восстановлению водоснабжения на ул. Ленина завершатся к 18:00');
    expect(rows[2]!.text).toBe(`По обращению №${open1}: Работы по восстановлению водоснабжения на ул. Ленина завершатся к 18:00`);
    const events = db.prepare<[], { incident_id: number }>("SELECT incident_id FROM incident_events WHERE action = 'announcement' ORDER BY incident_id").all();
    expect(events.map((e) => e.incident_id)).toEqual([open1, open2, open3]);

    // The same command delivered again posts nothing more.
    expect(handleAnnounce(args, ctx).text).toBe('Объявление №1 уже отправлено: 2 площадки, 2 ответа в ветках обращений.');
    expect(outboxRows(db, 'announce')).toHaveLength(4);
  });

  it('should let a regional moderator address the whole region and refuse a municipal one', () => {
    const { db, config, clock, regional, zarechensk } = setup();
    handleAnnounce('все Плановое отключение электроэнергии 25.11 с 10:00 до 14:00', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: regional,
      requestKey: 'r1',
    });
    expect(outboxRows(db, 'announce').map((r) => JSON.parse(r.destination_json).groupId ?? JSON.parse(r.destination_json).chatId)).toEqual([
      210001, 210002, 210003, -1001000000001,
    ]);
    const refused = handleAnnounce('sosnovka Перекрытие дороги', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: zarechensk,
      requestKey: 'r2',
    });
    expect(refused.text).toContain('только для своего');
    expect(handleAnnounce('все Текст', { stores: createStores(db), config, clock: clock.now, moderator: zarechensk, requestKey: 'r3' }).text).toContain(
      'только для своего',
    );
    expect(outboxRows(db, 'announce')).toHaveLength(4);
  });

  it('should count places and replies with the right Russian plural forms', () => {
    const { db, config, clock, zarechensk } = setup();
    const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };
    seedIncident(db, { createdAt: clock.current - 3_600_000, topic: 'housing', place: lenina });
    const reply = handleAnnounce('zarechensk тема=ЖКХ Подвоз воды в 15:00', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: zarechensk,
      requestKey: 'p1',
    });
    expect(reply.text).toBe('Объявление №1 поставлено в очередь: 2 площадки, 1 ответ в ветках обращений (1 открытое обращение: №1).');
    const none = handleAnnounce('zarechensk тема=дороги Перекрытие моста', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: zarechensk,
      requestKey: 'p2',
    });
    expect(none.text).toBe('Объявление №2 поставлено в очередь: 2 площадки, 0 ответов в ветках обращений (открытых обращений этой темы нет).');
    const elsewhere = handleAnnounce('zarechensk тема=ЖКХ улица=Победы Подвоз воды в 16:00', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: zarechensk,
      requestKey: 'p3',
    });
    expect(elsewhere.text).toBe(
      'Объявление №3 поставлено в очередь: 2 площадки, 0 ответов в ветках обращений (открытых обращений этой темы в этом месте нет).',
    );
  });

  it("should break VK and Telegram mentions in a moderator's announcement", () => {
    const { db, config, clock, zarechensk } = setup();
    const incident = seedIncident(db, { createdAt: clock.current - 3_600_000, topic: 'housing', place: { municipalityId: 'zarechensk', street: 'Ленина' } });
    handleAnnounce('zarechensk тема=ЖКХ Внимание @all, пишите [id1|Павлу] или @ivan', {
      stores: createStores(db),
      config,
      clock: clock.now,
      moderator: zarechensk,
      requestKey: 'm1',
    });
    const rows = outboxRows(db, 'announce').map((r) => ({ kind: (JSON.parse(r.destination_json) as { kind: string }).kind, text: r.text }));
    const J = '\u2060';
    expect(rows).toEqual([
      { kind: 'vk_wall_post', text: `Внимание @${J}all, пишите (id1|Павлу) или @${J}ivan` },
      { kind: 'telegram', text: `Внимание @${J}all, пишите [id1|Павлу] или @${J}ivan` },
      { kind: 'vk_comment', text: `По обращению №${incident}: Внимание @${J}all, пишите (id1|Павлу) или @${J}ivan` },
    ]);
  });

  it('should reply only in the threads of the named problem: тема=гвс reaches hot water, not the leaking roof', () => {
    const { db, config, clock, zarechensk } = setup();
    const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };
    const hotWater = seedIncident(db, {
      createdAt: clock.current - 3_600_000,
      topic: 'housing',
      problem: 'no_hot_water',
      place: lenina,
      text: 'Нет горячей воды',
    });
    const roof = seedIncident(db, { createdAt: clock.current - 3_000_000, topic: 'housing', problem: 'roof_icicles', place: lenina, text: 'Течёт крыша' });
    const untyped = seedIncident(db, { createdAt: clock.current - 2_000_000, topic: 'housing', place: lenina, text: 'Холодно в квартире' });
    const ctx = { stores: createStores(db), config, clock: clock.now, moderator: zarechensk, requestKey: 'tg:-1001000000099:601' };
    const reply = handleAnnounce('zarechensk тема=гвс улица=Ленина Горячую воду дадут к 18:00', ctx);
    expect(reply.text).toContain(`(1 открытое обращение: №${hotWater})`);
    const replies = outboxRows(db, 'announce')
      .filter((r) => r.incident_id !== null)
      .map((r) => r.incident_id);
    expect(replies).toEqual([hotWater]);
    expect(db.prepare('SELECT topic, problem FROM announcements').get()).toEqual({ topic: 'housing', problem: 'no_hot_water' });
    // A topic still reaches every open incident of the topic, with a problem or without.
    handleAnnounce('zarechensk тема=ЖКХ улица=Ленина Плановое отключение отопления завтра', { ...ctx, requestKey: 'tg:-1001000000099:602' });
    const second = outboxRows(db, 'announce')
      .slice(-3)
      .map((r) => r.incident_id);
    expect(second).toEqual([hotWater, roof, untyped]);
  });

  it('should take a problem by its label in quotes or by its id', () => {
    const { config } = setup();
    const group = (args: string) => (parseAnnounce(args, config) as { group: unknown }).group;
    expect(group('тема="Нет горячей воды" Текст')).toEqual({ kind: 'problem', problem: 'no_hot_water', topic: 'housing' });
    expect(group('проблема=lift Лифт починят завтра')).toEqual({ kind: 'problem', problem: 'lift', topic: 'housing' });
    expect(parseAnnounce('тема=погода Дождь', config)).toContain('например «нет холодной воды»');
  });

  it('should explain a malformed command', () => {
    const { config } = setup();
    expect(parseAnnounce('zarechensk', config)).toContain('Нет текста');
    expect(parseAnnounce('тема=погода Дождь', config)).toContain('Неизвестная тема');
    expect(parseAnnounce('улица=Ленина Текст', config)).toContain('вместе с темой');
    expect(parseAnnounce('sosnovka тема=housing нп="Красный Бор" Подвоз воды в 15:00', config)).toEqual({
      municipalityId: 'sosnovka',
      group: { kind: 'topic', topic: 'housing' },
      street: null,
      settlement: 'Красный Бор',
      text: 'Подвоз воды в 15:00',
    });
  });
});
