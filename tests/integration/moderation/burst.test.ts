/**
 * A burst in the moderators' chat: Telegram takes 20 messages a minute in a group, so while cards
 * pile up the moderators get one summary per group of incidents, with buttons to open each card,
 * and the cards follow as the chat allows, urgent ones first, one every 6 s while a summary is in
 * the chat (half its pace: the rest of the minute is the summary's edits'). Real rate limits of
 * the chat (20 a minute; 5 kept back for summaries and replies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERATORS_CHAT, World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from './world.js';

const BURST = 30;
const URGENT = new Set([10, 20, 30]);

describe("a burst of complaints in the moderators' chat", () => {
  let world: World;
  let incidents: number[];

  const chat = () => world.emulator.sent().telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT);
  const summary = () => chat().find((m) => m.text.startsWith('⚡'));
  const cards = () => chat().filter((m) => m.text.startsWith('Обращение №'));
  const summaryButtons = () => {
    const message = summary()!;
    const edits = world.emulator.sent().telegramEdits.filter((e) => e.chatId === MODERATORS_CHAT && e.messageId === message.messageId);
    const markup = (edits.at(-1)?.replyMarkup ?? message.replyMarkup) as { inline_keyboard: { text: string; callback_data: string }[][] };
    return { text: edits.at(-1)?.text ?? message.text, buttons: markup.inline_keyboard.flat() };
  };
  /** Press a button of the summary; resolves with the callback answer (the outbox never drains during a burst, so no waiting for that). */
  const press = async (fromId: number, data: string, forge = false) => {
    const pressId = world.emulator.pressButton({ chatId: MODERATORS_CHAT, messageId: summary()!.messageId, fromId, data, forge });
    const answered = () => world.emulator.sent().callbackAnswers.find((a) => a.callbackQueryId === pressId);
    await world.until(() => answered() !== undefined, 'the press to be answered');
    return answered()!;
  };
  const cardRow = (id: number) =>
    world.app.db.prepare('SELECT state, priority, lease_until AS lease FROM outbox WHERE idempotency_key = ?').get(`card:${id}`) as {
      state: string;
      priority: number;
      lease: number | null;
    };

  beforeAll(async () => {
    world = await World.start({
      local: { burst: { pendingCards: 5, editIntervalSeconds: 1, buttonsPerPage: 12 } },
      deliveryLimits: { telegramGroupPerMinute: 20, telegramGroupReserved: 5, telegramPrivateChatIntervalMs: 1 },
    });
    // One outage: the same problem in one municipality, from 30 people, three of them urgent; one poll reads them all.
    const comments: number[] = [];
    for (let i = 1; i <= BURST; i += 1) {
      const text = world.detector.appeal(`Нет света дома, жалоба ${i}`, 'housing', null, URGENT.has(i) ? 'emergency' : 'normal');
      comments.push(
        world.emulator.addComment({
          groupId: ZARECHENSK_GROUP,
          postId: (world as unknown as { posts: Map<number, number> }).posts.get(ZARECHENSK_GROUP)!,
          fromId: 800_000 + i,
          text,
        }),
      );
    }
    await world.app.pollVkOnce();
    incidents = comments.map((c) => world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c}`));
    // The summary and the first two cards: after a summary, cards go one every 6 s.
    await world.until(() => summary() !== undefined && cards().length >= 2, 'the summary and the first cards');
    await world.until(() => incidents.map(cardRow).filter((r) => r.state === 'pending').length <= BURST - 2, 'the sent cards recorded');
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should post one summary first, listing every incident, urgent ones named apart, with a button for each', () => {
    const [first] = chat();
    expect(first!.text).toBe(summary()!.text);
    expect(first!.text).toContain(`Много обращений: ЖКХ — Городской округ Зареченск, ${BURST} обращений`);
    expect(first!.text).toContain(`Номера: №${incidents[0]}–${incidents.at(-1)}`);
    const urgent = incidents.filter((_, i) => URGENT.has(i + 1));
    expect(first!.text).toContain(`Срочные: ${urgent.map((id) => `№${id}`).join(', ')}`);
    const { buttons } = summaryButtons();
    // Urgent first, then in order; 12 to a page and a button to turn it.
    expect(buttons.slice(0, 3).map((b) => b.callback_data)).toEqual(urgent.map((id) => `burst:open:${id}`));
    expect(buttons).toHaveLength(13);
    expect(buttons.at(-1)).toMatchObject({ text: 'ещё ›' });
  });

  it('should send the cards evenly after the summary, urgent ones first, and keep the rest waiting in the outbox', () => {
    const sent = cards();
    const numbers = sent.map((m) => Number(/№(\d+)/.exec(m.text)?.[1]));
    const urgent = incidents.filter((_, i) => URGENT.has(i + 1));
    const order = [...urgent, ...incidents.filter((id) => !urgent.includes(id))];
    expect(numbers).toEqual(order.slice(0, numbers.length));
    // One every 6 s (the emulator dates in whole seconds): the chat's minute is not spent in its first seconds.
    for (let i = 1; i < sent.length; i += 1) expect(sent[i]!.date - sent[i - 1]!.date).toBeGreaterThanOrEqual(5);
    // The rest wait, nearly all unclaimed, so a summary or a reply still goes first.
    const waiting = incidents.map(cardRow).filter((r) => r.state === 'pending');
    expect(waiting.filter((r) => r.lease === null).length).toBeGreaterThanOrEqual(BURST - sent.length - 2);
  });

  it('should answer «№N» of a card already sent with a reply to that card, at once', async () => {
    const urgent = incidents[URGENT.values().next().value! - 1]!;
    const button = summaryButtons().buttons.find((b) => b.callback_data === `burst:open:${urgent}`)!;
    const answer = await press(ZARECHENSK_MOD, button.callback_data);
    expect(answer.text).toContain(`Карточка №${urgent} уже в чате`);
    await world.until(() => chat().some((m) => m.replyTo === world.app.cardMessageId(urgent) && m.text.includes(`№${urgent}`)), 'the pointer to the card');
  });

  it('should send the card of «№N» at once, ahead of the others, when it is still waiting', async () => {
    const last = incidents.at(-2)!;
    const before = incidents.map(cardRow).filter((r) => r.state === 'pending').length;
    const answer = await press(ZARECHENSK_MOD, `burst:open:${last}`, true);
    expect(answer.text).toBe(`Карточка №${last} придёт следующей.`);
    await world.until(() => world.app.cardMessageId(last) !== null, 'the card opened');
    expect(chat().find((m) => m.messageId === world.app.cardMessageId(last))!.text).toMatch(new RegExp(`^Обращение №${last} — новое`));
    expect(cardRow(last)).toMatchObject({ state: 'sent', priority: 4 });
    expect(incidents.map(cardRow).filter((r) => r.state === 'pending')).toHaveLength(before - 1);
  });

  it('should edit the summary when more incidents of the burst come, and turn its page of buttons', async () => {
    const more: number[] = [];
    for (let i = 1; i <= 2; i += 1) {
      const text = world.detector.appeal(`И у нас нет света, дом ${i}`, 'housing');
      const comment = world.emulator.addComment({
        groupId: ZARECHENSK_GROUP,
        postId: (world as unknown as { posts: Map<number, number> }).posts.get(ZARECHENSK_GROUP)!,
        fromId: 810_000 + i,
        text,
      });
      more.push(comment);
    }
    await world.app.pollVkOnce();
    await world.until(() => summaryButtons().text.includes(`${BURST + 2} обращения`), 'the summary edited');
    expect(summaryButtons().text).toContain(`№${incidents[0]}–${incidents.at(-1)! + 2}`);

    const next = summaryButtons().buttons.find((b) => b.text === 'ещё ›')!;
    const answer = await press(ZARECHENSK_MOD, next.callback_data);
    expect(answer.text).toBe('Кнопки: 2 из 3.');
    await world.until(() => summaryButtons().text.includes('Кнопки: 2 из 3'), 'the second page');
    expect(summaryButtons().buttons.map((b) => b.text)).toEqual([
      ...incidents
        .filter((_, i) => !URGENT.has(i + 1))
        .slice(9, 21)
        .map((id) => `№${id}`),
      '‹ назад',
      'ещё ›',
    ]);
  });

  it('should refuse a press by someone who is not a moderator', async () => {
    const answer = await press(999_001, `burst:open:${incidents[0]}`, true);
    expect(answer).toMatchObject({ text: 'Кнопки доступны только модераторам.', showAlert: true });
  });
});
