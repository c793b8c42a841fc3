import { describe, expect, it } from 'vitest';
import type { TopicId, Verdict } from '../../../src/domain/detection.js';
import { sameProblem } from '../../../src/domain/same-problem.js';
import { decideThread, type ThreadIncident, type ThreadMessage } from '../../../src/domain/threading.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 7, 0, 0);
const WINDOW = 180 * MINUTE;

/** An open incident registered at T0 from `text`, acknowledged by the bot's message `ack`. */
function incident(id: number, topic: TopicId, text: string, extra: Partial<ThreadIncident> = {}): ThreadIncident {
  return {
    id,
    topic,
    problem: null,
    text,
    place: null,
    lastActivityAt: T0,
    botMessageIds: [`ack-${id}`],
    ownMessageIds: [`own-${id}`],
    commentThreads: [],
    awaitingAnswer: false,
    ...extra,
  };
}

function message(text: string, extra: Partial<ThreadMessage> = {}): ThreadMessage {
  return { text, createdAt: T0 + 20 * MINUTE, replyToId: null, commentThread: null, place: 'chat', hasAttachments: false, ...extra };
}

function detected(
  verdict: Verdict,
  topic: TopicId | null = null,
  extra: { problem?: string | null; place?: { street: string } | null; statesProblem?: boolean } = {},
) {
  return { verdict, topic, place: extra.place ?? null, problem: extra.problem ?? null, statesProblem: extra.statesProblem ?? verdict !== 'ignore' };
}

const LIFT = incident(7, 'housing', 'На Победы 17 второй месяц не работает лифт, у нас девятый этаж, мама после операции.');
const RUBBISH = incident(8, 'waste', 'Контейнеры на Садовой 3 не вывозят десять дней, мусор лежит горой.');

describe('decideThread', () => {
  it('should judge a message on its own when the author has no open incident there', () => {
    expect(decideThread({ message: message('Яма у подъезда'), detection: detected('reply', 'roads'), open: [], windowMs: WINDOW })).toEqual({
      kind: 'separate',
    });
  });

  it('should attach a reply to the bot acknowledgement that adds details', () => {
    const m = message('Подъезд 2, квартира 45. В УК звонили трижды.', { replyToId: 'ack-7' });
    expect(decideThread({ message: m, detection: detected('ignore'), open: [RUBBISH, LIFT], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'reply_to_bot',
    });
  });

  it('should attach a reply to the citizen own registered message, even days later', () => {
    const m = message('Лифт так и стоит, никто не приходил', { replyToId: 'own-7', createdAt: T0 + 3 * 24 * 60 * MINUTE });
    expect(decideThread({ message: m, detection: detected('reply', 'housing'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'reply_to_own',
    });
  });

  it('should attach a comment in the same VK comment thread', () => {
    const wall = incident(9, 'roads', 'На Гагарина огромная яма, пробила колесо', { commentThreads: [501] });
    const m = message('Вот ещё: вчера там же застрял автобус', { commentThread: 501 });
    expect(decideThread({ message: m, detection: detected('review', 'roads'), open: [wall], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 9,
      link: 'comment_thread',
    });
  });

  it('should attach a reply that reads like an appeal to the model yet states no problem of its own', () => {
    // «Уточняю…» reads like the portal's appeals, and the model may even guess another problem of the topic for it.
    const m = message('Уточняю: подъезд 2, квартира 45. Заявку в УК оставляла 14 ноября.', { replyToId: 'ack-7' });
    const guess = detected('reply', 'housing', { problem: 'management_company', statesProblem: false });
    expect(decideThread({ message: m, detection: guess, open: [{ ...LIFT, problem: 'lift' }], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'reply_to_bot',
    });
    expect(
      decideThread({ message: m, detection: { ...guess, statesProblem: true }, open: [{ ...LIFT, problem: 'lift' }], windowMs: WINDOW }),
    ).not.toMatchObject({ kind: 'followup' });
  });

  it('should open a separate incident for a complaint of another topic, even written as a reply to the acknowledgement', () => {
    const m = message('И ещё: на перекрёстке не работает светофор, чуть не сбили ребёнка!', { replyToId: 'ack-8' });
    expect(decideThread({ message: m, detection: detected('reply', 'roads'), open: [RUBBISH], windowMs: WINDOW })).toEqual({ kind: 'separate' });
  });

  it('should open a separate incident for a burst pipe reported after a broken lift in the same chat', () => {
    const m = message('А сейчас в подвале прорвало трубу, кипяток заливает подъезд!');
    expect(decideThread({ message: m, detection: detected('reply', 'housing'), open: [LIFT], windowMs: WINDOW })).toEqual({ kind: 'separate' });
  });

  it('should attach more words about the same problem within the window', () => {
    const m = message('Лифт до сих пор не починили, соседка с коляской не может спуститься');
    expect(decideThread({ message: m, detection: detected('reply', 'housing'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'same_problem',
    });
  });

  it('should not attach words about the same problem after the window: the citizen is judged anew', () => {
    const m = message('Лифт опять сломался', { createdAt: T0 + WINDOW + MINUTE });
    expect(decideThread({ message: m, detection: detected('reply', 'housing'), open: [LIFT], windowMs: WINDOW })).toEqual({ kind: 'separate' });
  });

  it('should ignore chatter of the same author as anyone else is ignored', () => {
    const m = message('Ребят, кто знает хорошего сантехника?');
    expect(decideThread({ message: m, detection: detected('ignore'), open: [LIFT], windowMs: WINDOW })).toEqual({ kind: 'separate' });
  });

  it('should send a tied complaint of the same topic about something else to the moderators, not into the old incident', () => {
    const m = message('Ещё в подвале прорвало трубу, вода по колено', { replyToId: 'ack-7' });
    expect(decideThread({ message: m, detection: detected('reply', 'housing'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'review',
      incidentId: 7,
      reason: 'other_problem',
    });
  });

  it('should send a public non-appeal with the same problem words to the moderators as a possible addition', () => {
    const m = message('Лифт, кстати, у нас самый старый в городе');
    expect(decideThread({ message: m, detection: detected('ignore'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'review',
      incidentId: 7,
      reason: 'maybe_addition',
    });
  });

  it('should attach the same words in a private chat with the bot', () => {
    const m = message('Лифт, кстати, у нас самый старый в городе', { place: 'private' });
    expect(decideThread({ message: m, detection: detected('ignore'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'same_problem',
    });
  });

  it('should send an address or a photo in a public chat to the moderators as a possible addition', () => {
    const address = message('Победы 17, второй подъезд', {});
    expect(decideThread({ message: address, detection: detected('ignore', null, { place: { street: 'Победы' } }), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'review',
      incidentId: 7,
      reason: 'maybe_addition',
    });
    const photo = message('', { hasAttachments: true });
    expect(decideThread({ message: photo, detection: detected('ignore'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'review',
      incidentId: 7,
      reason: 'maybe_addition',
    });
  });

  it('should attach a photo sent to the bot right after the only complaint, and ask the moderators when there are two', () => {
    const photo = message('', { hasAttachments: true, place: 'private' });
    expect(decideThread({ message: photo, detection: detected('ignore'), open: [LIFT], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'dialog_attachment',
    });
    const second = incident(10, 'roads', 'Яма у подъезда', { lastActivityAt: T0 + 5 * MINUTE });
    expect(decideThread({ message: photo, detection: detected('ignore'), open: [LIFT, second], windowMs: WINDOW })).toEqual({
      kind: 'review',
      incidentId: 10,
      reason: 'maybe_addition',
    });
  });

  it('should pick the incident the text is about when the author has two open there', () => {
    const pothole = incident(11, 'roads', 'У подъезда яма, машины бьют колёса', { lastActivityAt: T0 + 5 * MINUTE });
    const m = message('Лифт всё ещё стоит');
    expect(decideThread({ message: m, detection: detected('review', 'housing'), open: [LIFT, pothole], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'same_problem',
    });
  });

  it('should take the next words after a moderator asked for details as the answer, unless they are another complaint', () => {
    const asked = { ...LIFT, awaitingAnswer: true, lastActivityAt: T0 - 24 * 60 * MINUTE };
    const answer = message('Квартира 54, телефон у соседки', { place: 'private' });
    expect(decideThread({ message: answer, detection: detected('ignore'), open: [asked], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'answer_to_question',
    });
    const underPost = message('Подъезд 3', { place: 'comments' });
    expect(decideThread({ message: underPost, detection: detected('ignore'), open: [asked], windowMs: WINDOW })).toMatchObject({
      kind: 'followup',
      link: 'answer_to_question',
    });
    const chatter = message('Всем привет, кто на субботник?', { place: 'chat' });
    expect(decideThread({ message: chatter, detection: detected('ignore'), open: [asked], windowMs: WINDOW })).toEqual({ kind: 'separate' });
    const other = message('Ещё у нас во дворе яма, машины бьют колёса');
    expect(decideThread({ message: other, detection: detected('reply', 'roads'), open: [asked], windowMs: WINDOW })).toEqual({ kind: 'separate' });
  });

  it('should trust the detector problems when both are known', () => {
    const withProblem = { ...LIFT, problem: 'lift' };
    const m = message('Кабина застряла между этажами', { replyToId: 'ack-7' });
    expect(decideThread({ message: m, detection: detected('reply', 'housing', { problem: 'lift' }), open: [withProblem], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 7,
      link: 'reply_to_bot',
    });
    const pipe = message('В подвале прорвало трубу, всё затопило', { replyToId: 'ack-7' });
    expect(decideThread({ message: pipe, detection: detected('reply', 'housing', { problem: 'pipe_burst' }), open: [withProblem], windowMs: WINDOW })).toEqual({
      kind: 'separate',
    });
  });

  it('should not part texts that name the same thing when the detector guessed two problems of one topic', () => {
    // The detector's problem is a guess among similar ones: «ржавая вода», then «вода как чай» may come out as two.
    const water = incident(9, 'housing', 'Из крана течёт ржавая вода', { problem: 'water_quality' });
    const m = message('Фото прикладываю, вода как чай. Уже третий день так.');
    expect(decideThread({ message: m, detection: detected('reply', 'housing', { problem: 'no_hot_water' }), open: [water], windowMs: WINDOW })).toEqual({
      kind: 'followup',
      incidentId: 9,
      link: 'same_problem',
    });
  });
});

describe('sameProblem filler', () => {
  it('should not join two broken things by «не работает» alone', () => {
    expect(sameProblem({ text: 'Не работает лифт', place: null }, { text: 'Не работает светофор', place: null })).toBe(false);
  });
});
