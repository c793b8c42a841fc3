import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemoDetailed } from '../../../src/demo/run-demo.js';
import { collectConversationFigures } from '../../../src/reports/conversation-figures.js';
import { StatsStore } from '../../../src/store/stats-store.js';

/**
 * The demo is the spine's end-to-end proof: real vk-io and telegraf clients against the emulator,
 * the scripted stream, and the rows and replies it leaves behind.
 */
describe('demo scenario end to end', () => {
  let result: DemoResult;
  let log = '';
  let db: Database.Database;

  beforeAll(async () => {
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const dir = mkdtempSync(join(tmpdir(), 'otklik-demo-'));
    result = await runDemoDetailed({ dbPath: join(dir, 'demo.sqlite'), fast: true, out, settleTimeoutMs: 30_000 });
    db = new Database(result.dbPath, { readonly: true });
  }, 120_000);

  const text = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Record<string, unknown> | undefined;

  it('should finish with exit code 0 and print a summary with the database path', () => {
    expect(result.code, log).toBe(0);
    expect(log).toContain('Итоги');
    expect(log).toContain(result.dbPath);
  });

  it('should record every scripted message exactly once', () => {
    const duplicates = db.prepare('SELECT channel, external_id, COUNT(*) AS n FROM messages GROUP BY 1, 2 HAVING n > 1').all();
    expect(duplicates).toEqual([]);
    expect((text('SELECT COUNT(*) AS n FROM messages') as { n: number }).n).toBeGreaterThanOrEqual(60);
  });

  it('should name VK authors, from wall comments and community messages alike, in the store and the live log', () => {
    const unnamed = db.prepare("SELECT channel, external_id FROM messages WHERE channel IN ('vk_comment', 'vk_message') AND author_name IS NULL").all();
    expect(unnamed).toEqual([]);
    expect((text("SELECT COUNT(DISTINCT channel) AS n FROM messages WHERE channel IN ('vk_comment', 'vk_message')") as { n: number }).n).toBe(2);
    expect(log).toMatch(/← VK «[^»]+», комментарий · [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+:/);
    expect(log).toMatch(/← VK «[^»]+», сообщение сообществу · [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+:/);
    expect(log).not.toMatch(/← VK .* · id\d+:/);
  });

  it('should register the clear complaints and acknowledge each once in its own thread', () => {
    const heating = text("SELECT i.id, i.topic, i.municipality_id FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text LIKE '%Ленина 12%'");
    expect(heating).toMatchObject({ topic: 'housing', municipality_id: 'zarechensk' });
    const pothole = text("SELECT i.id, i.topic FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text LIKE '%огромная яма%'");
    expect(pothole).toMatchObject({ topic: 'roads' });
    const acks = result.emulatorSent.vkComments.filter((c) => c.text.includes(`№${String(heating!.id)} `) || c.text.includes(`№${String(heating!.id)}`));
    expect(acks.length).toBeGreaterThanOrEqual(1);
    const perComment = new Map<string, number>();
    for (const comment of result.emulatorSent.vkComments) {
      if (!comment.text.includes('зарегистрировано')) continue;
      const key = `${comment.ownerId}_${comment.replyToComment}`;
      perComment.set(key, (perComment.get(key) ?? 0) + 1);
    }
    expect([...perComment.values()].every((n) => n === 1)).toBe(true);
  });

  it('should not answer thanks, greetings, advertising or chatter', () => {
    for (const fragment of ['Хорошие новости, спасибо', 'Всем доброе утро', 'Пластиковые окна', 'ахахах', 'Продаю дрова']) {
      const row = text('SELECT decision, incident_id FROM messages WHERE text LIKE ?', `%${fragment}%`);
      expect(row, fragment).toBeDefined();
      expect(row!.incident_id, fragment).toBeNull();
    }
  });

  it("should attach a follow-up to the author's open incident instead of opening a new one", () => {
    const followup = text("SELECT decision, incident_id FROM messages WHERE text LIKE '%подъезд 2, квартира 45%'");
    const original = text("SELECT incident_id FROM messages WHERE text LIKE '%Ленина 12%'");
    expect(followup).toMatchObject({ decision: 'followup', incident_id: original!.incident_id });
  });

  it("should give a citizen's second, different problem its own incident and show every addition to the moderators", () => {
    const rubbish = text("SELECT incident_id AS id FROM messages WHERE text LIKE '%контейнеры на Садовой 3%'");
    const light = text("SELECT decision, incident_id AS id FROM messages WHERE text LIKE '%не горит ни один фонарь%'");
    expect(light).toMatchObject({ decision: 'incident' });
    expect(light!.id).not.toBe(rubbish!.id);
    expect(log).toMatch(/жалоб, подшитых к чужому обращению: 0; дополнений: (\d+), из них видно модераторам: \1,/);
    const note = result.emulatorSent.telegramMessages.find((m) => m.text.startsWith('Дополнение к обращению') && m.text.includes('подъезд 2, квартира 45'));
    expect(note).toBeDefined();
  });

  it('should answer the questions: the FAQ ones at once, the other by a moderator in its thread', () => {
    expect(text("SELECT decision FROM messages WHERE text LIKE '%Во сколько сегодня работает МФЦ%'")).toEqual({ decision: 'faq' });
    expect(result.emulatorSent.vkMessages.some((m) => m.text.includes('https://mfc.example.ru/offices'))).toBe(true);
    const question = text(
      "SELECT i.id, i.kind, i.status FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text LIKE '%записаться на эти курсы%'",
    );
    expect(question).toMatchObject({ kind: 'question', status: 'answered' });
    expect(result.emulatorSent.vkComments.some((c) => c.text.startsWith(`Ответ на ваш вопрос №${String(question!.id)}: Записаться можно`))).toBe(true);
    expect(log).toMatch(/вопросов в личных чатах: (\d+), из них с ответом \(FAQ, модератор\) или справкой: \1;/);
  });

  it('should raise exactly one risk alert for the «нет воды» burst in Zarechensk, linked to its incidents', () => {
    const spikes = db.prepare('SELECT id, topic, municipality_id, count FROM spikes').all() as {
      id: number;
      topic: string;
      municipality_id: string;
      count: number;
    }[];
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ topic: 'housing', municipality_id: 'zarechensk' });
    const linked = db.prepare('SELECT m.text FROM incident_spikes s JOIN incidents i ON i.id = s.incident_id JOIN messages m ON m.id = i.message_id').all() as {
      text: string;
    }[];
    expect(linked.filter((r) => /нет воды|без воды|отключили воду/i.test(r.text)).length).toBeGreaterThanOrEqual(5);
    const alerts = result.emulatorSent.telegramMessages.filter((m) => m.text.includes('Выявлен риск'));
    expect(alerts).toHaveLength(1);
    expect(log).toContain('Выявлен риск');
    expect(log).toContain('повторного оповещения нет');
  });

  it("should send the daily digest with its chart to the moderators' chat and print it", () => {
    // /report today answers with «Сводка за сегодня, …»; the scheduled digest covers the demo's whole day.
    const digests = result.emulatorSent.telegramMessages.filter((m) => m.text.includes('Сводка за') && !m.text.includes('Сводка за сегодня'));
    expect(digests).toHaveLength(1);
    const total = (text('SELECT COUNT(*) AS n FROM incidents') as { n: number }).n;
    expect(digests[0]!.text).toContain(`Обращений: ${total}`);
    // The chart is the one uploaded photo; the others are citizens' photos sent again by file_id.
    expect(result.emulatorSent.telegramPhotos.filter((p) => typeof p.photo !== 'string')).toHaveLength(1);
    expect(log).toMatch(/сводка модераторам · Telegram, фото\] Обращения за 14 дн\./);
    expect(log).toContain('Сводка за');
  });

  const incidentOf = (fragment: string) =>
    text('SELECT i.id, i.status, m.external_id FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text LIKE ?', `%${fragment}%`) as
      | { id: number; status: string; external_id: string }
      | undefined;

  it('should let a moderator work the pothole new → accepted → answered → closed, telling its thread each step once', () => {
    const pothole = incidentOf('огромная яма')!;
    expect(pothole.status).toBe('closed');
    // Comment ids are unique per wall only: the thread is the owner and the comment together.
    const [ownerId, commentId] = pothole.external_id.split('_').map(Number);
    const replies = result.emulatorSent.vkComments.filter((c) => c.ownerId === ownerId && c.replyToComment === commentId).map((c) => c.text);
    expect(replies).toEqual([
      expect.stringContaining(`обращение №${pothole.id} зарегистрировано`),
      expect.stringContaining(`Обращение №${pothole.id} принято в работу`),
      expect.stringContaining(`Ответ по обращению №${pothole.id}: Яма на перекрёстке`),
      expect.stringContaining(`Обращение №${pothole.id} закрыто`),
    ]);
    const transitions = db
      .prepare("SELECT actor_id, new_value FROM incident_events WHERE incident_id = ? AND action = 'transition' ORDER BY id")
      .all(pothole.id);
    expect(transitions).toEqual([
      { actor_id: 'tg:9002', new_value: 'accepted' },
      { actor_id: 'tg:9002', new_value: 'answered' },
      { actor_id: 'tg:9002', new_value: 'closed' },
    ]);
    // The Принять press was answered, and the card followed each change.
    expect(result.emulatorSent.callbackAnswers.length).toBeGreaterThanOrEqual(1);
    expect(result.emulatorSent.telegramEdits.filter((e) => e.text?.startsWith(`Обращение №${pothole.id} —`)).length).toBeGreaterThanOrEqual(3);
  });

  it("should carry out the other moderators' commands: interim answer, a question, a rejection", () => {
    expect(incidentOf('Молодёжной 7')!.status).toBe('accepted');
    expect(incidentOf('Пушкина от дома 10')!.status).toBe('needs_info');
    expect(incidentOf('Школьная 4')!.status).toBe('rejected');
    expect(result.emulatorSent.vkComments.some((c) => c.text.startsWith('Промежуточный ответ по обращению'))).toBe(true);
  });

  it("should refuse a stranger's moderator command", () => {
    expect(result.emulatorSent.telegramMessages.some((m) => m.chatId === -1001000000099 && m.text.includes('только модераторам'))).toBe(true);
  });

  it("should tell a citizen the status of their own incident and nothing about someone else's", () => {
    const galina = result.emulatorSent.telegramMessages.filter((m) => m.chatId === 100120).map((m) => m.text);
    expect(galina.some((t) => /^Обращение №\d+: отклонено\./.test(t))).toBe(true);
    const kirill = result.emulatorSent.telegramMessages.filter((m) => m.chatId === 100121).map((m) => m.text);
    expect(kirill.some((t) => t.includes('не найдено среди ваших обращений'))).toBe(true);
    expect(kirill.some((t) => t.includes('батаре') || t.includes('ЖКХ'))).toBe(false);
  });

  it('should leave nothing undelivered in the outbox', () => {
    expect(db.prepare("SELECT purpose, fail_reason FROM outbox WHERE state <> 'sent'").all()).toEqual([]);
  });

  it('should meet the conversation targets of issue 12, and print the counts', () => {
    const figures = collectConversationFigures(new StatsStore(db));
    expect(figures.misfiledComplaints).toBe(0);
    expect(figures.additions).toBeGreaterThanOrEqual(3);
    expect(figures.additionsShown).toBe(figures.additions);
    // Each addition shows on the card within one edit; additions arriving together share it.
    expect(figures.additionCardEdits).toBeGreaterThan(0);
    expect(figures.additionCardEdits).toBeLessThanOrEqual(figures.additions);
    expect(figures.privateQuestions).toBeGreaterThanOrEqual(2);
    expect(figures.privateQuestionsAnswered).toBe(figures.privateQuestions);
    expect(figures.photos).toBeGreaterThanOrEqual(4);
    expect(figures.photosOnCards).toBe(figures.photos);
    expect(log).toContain(
      `жалоб, подшитых к чужому обращению: 0; дополнений: ${figures.additions}, из них видно модераторам: ${figures.additionsShown}, правок карточек из-за дополнений: ${figures.additionCardEdits}; ` +
        `вопросов в личных чатах: ${figures.privateQuestions}, из них с ответом (FAQ, модератор) или справкой: ${figures.privateQuestionsAnswered}; фото дошло до карточек: ${figures.photosOnCards} из ${figures.photos}`,
    );
  });

  it('should show moderators an addition with its photo, VK photos as links, a wordless photo to check, and place a report by its location', () => {
    const fileIdOf = (fragment: string) =>
      (
        JSON.parse(String((text('SELECT media_json FROM messages WHERE text LIKE ?', `%${fragment}%`) as { media_json: string }).media_json)) as {
          attachments: { fileId?: string; url?: string }[];
        }
      ).attachments;
    const [andrey] = fileIdOf('вода как чай');
    const note = result.emulatorSent.telegramPhotos.find((p) => p.photo === andrey!.fileId);
    expect(note?.caption).toMatch(/^Дополнение к обращению №\d+:\n«Фото прикладываю, вода как чай/);
    const pothole = fileIdOf('огромная яма');
    const card = result.emulatorSent.telegramMessages.find((m) => m.text.startsWith('Обращение №') && m.text.includes('огромная яма'))!;
    expect(card.entities.filter((e) => e.type === 'text_link').map((e) => e.url)).toEqual(expect.arrayContaining(pothole.map((p) => p.url)));
    const wordless = db.prepare("SELECT media_json FROM messages WHERE decision = 'review' AND text = '' AND media_json IS NOT NULL").get() as {
      media_json: string;
    };
    const photo = (JSON.parse(wordless.media_json) as { attachments: { fileId: string }[] }).attachments[0]!.fileId;
    expect(result.emulatorSent.telegramPhotos.find((p) => p.photo === photo)?.caption).toMatch(/^Проверить: житель прислал фото без текста/);
    const steam = text(
      "SELECT i.lat, i.lon, i.place_key, i.municipality_id FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text LIKE '%бьёт кипяток%'",
    );
    expect(steam).toEqual({ lat: 56.9057, lon: 40.4986, place_key: 'street:гагарина', municipality_id: 'zarechensk' });
    expect(log).toContain('+ геометка');
    expect(log).toMatch(/карточка модераторам · Telegram, фото жителя: 1\] Дополнение к обращению/);
  });
});
