/**
 * Moderators see a citizen's additions: the card shows the latest with its time (one edit, folded
 * when several arrive together) and a note under the card quotes them. Through the emulator.
 */
import { describe, expect, it } from 'vitest';
import { MODERATORS_CHAT, ZARECHENSK_GROUP, ZARECHENSK_MOD } from '../moderation/world.js';
import { startedWorld } from './started-world.js';

const Z = { municipalityId: 'zarechensk' };

describe('additions reach the moderators', () => {
  const world = startedWorld();

  const cardEdits = (incident: number) =>
    world()
      .emulator.sent()
      .telegramEdits.filter((e) => e.chatId === MODERATORS_CHAT && e.messageId === world().card(incident).messageId);
  const notes = (incident: number) =>
    world()
      .telegramReplies(MODERATORS_CHAT, world().card(incident).messageId)
      .filter((t) => t.startsWith(`Дополнение к обращению №${incident}`));

  it('should show an addition on the card with its time after one edit, quote it under the card, and keep it on the card after a status change', async () => {
    const author = 620001;
    const text = world().detector.appeal('На Гагарина у дома 9 огромная яма, вчера пробил колесо', 'roads', { ...Z, street: 'Гагарина' });
    const first = await world().comment(ZARECHENSK_GROUP, author, text);
    const incident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${first}`);
    expect(cardEdits(incident)).toEqual([]);

    const ack = world()
      .emulator.sent()
      .vkComments.find((c) => c.ownerId === -ZARECHENSK_GROUP && c.replyToComment === first)!;
    await world().comment(ZARECHENSK_GROUP, author, 'Яма прямо напротив второго подъезда, глубиной сантиметров двадцать', ack.commentId);
    const edits = cardEdits(incident);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.text).toMatch(/Дополнение жителя \(\d\d\.\d\d \d\d:\d\d\): «Яма прямо напротив второго подъезда, глубиной сантиметров двадцать»/);
    expect(edits[0]!.text).toContain('Последнее действие: житель дополнил обращение');
    expect(notes(incident)).toEqual([`Дополнение к обращению №${incident}:\n«Яма прямо напротив второго подъезда, глубиной сантиметров двадцать»`]);

    await world().press(incident, ZARECHENSK_MOD, 'Принять');
    expect(cardEdits(incident).at(-1)!.text).toContain('«Яма прямо напротив второго подъезда, глубиной сантиметров двадцать»');
  });

  it('should fold several additions that arrive together into one card edit and one note', async () => {
    const author = 620002;
    const text = world().detector.appeal('Во дворе дома Школьная 4 сломаны качели, торчат острые края', 'improvement', { ...Z, street: 'Школьная' });
    const first = await world().telegram(author, author, text);
    const incident = world().incidentOf('telegram', `${author}_${first}`);
    const ack = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === author && m.replyTo === first)!;
    const before = cardEdits(incident).length;

    // Three messages in one tick reach the bot in one getUpdates answer, one batch.
    const parts = ['Площадка за вторым подъездом', 'Там же качается горка', 'Дети всё равно туда ходят'];
    const ids = parts.map((part) => world().emulator.sendTelegramMessage({ chatId: author, fromId: author, text: part, replyToMessageId: ack.messageId }));
    const decided = world().app.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = 'telegram' AND external_id = ? AND decision = 'followup'");
    await world().until(() => ids.every((id) => (decided.get(`${author}_${id}`) as { n: number }).n === 1), 'the additions to be recorded');
    await world().settled();

    const edits = cardEdits(incident).slice(before);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.text).toMatch(/Дополнений от жителя: 3, последнее \(\d\d\.\d\d \d\d:\d\d\): «Дети всё равно туда ходят»/);
    expect(notes(incident)).toEqual([
      `Дополнение к обращению №${incident}:\n«Площадка за вторым подъездом»\n«Там же качается горка»\n«Дети всё равно туда ходят»`,
    ]);
  });
});
