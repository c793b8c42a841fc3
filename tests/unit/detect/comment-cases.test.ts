import { describe, expect, it } from 'vitest';
import { withQuestion } from '../../../src/detect/question-detector.js';
import { testConfig } from '../../helpers/index.js';
import { shippedDetector } from './detector-fixture.js';

/**
 * Comments in the style of those under госпаблики and in city chats, written for this project
 * (never copied from the labelled data sets): the problem a centre files them under, questions,
 * spam and sarcasm. They run against the shipped config and model, as the bot would.
 */
const detector = shippedDetector();
const catalog = testConfig().problems;
const analyse = (text: string) => detector.analyse(text, undefined, { alwaysTopic: true });
/** As the bot sees a message: the complaint detector, then the question step. */
const detect = (text: string) => withQuestion(detector.detect(text), text);

describe('problems under topics', () => {
  it.each([
    ['Скорую ждали два часа, бабушке было плохо, диспетчер грубил', 'health', 'ambulance'],
    ['В школе №5 с сентября нет учителя математики, дети сидят без уроков', 'education', 'schools'],
    ['После отключения дали воду, а из крана течёт ржавая, пить невозможно', 'housing', 'water_quality'],
    ['Лифт в третьем подъезде опять стоит, у нас лежачая мама на девятом этаже', 'housing', 'lift'],
    ['Во дворе на Мира 5 открытый люк, ребёнок чуть не упал', 'improvement', 'open_manholes'],
    ['Стая бездомных собак у школы, вчера покусали мальчика', 'ecology', 'stray_animals'],
    ['Нет горячей воды уже третью неделю, ни объявления, ни сроков', 'housing', 'no_hot_water'],
    ['Записаться к терапевту невозможно, в регистратуре трубку не берут, на госуслугах нет талонов', 'health', 'doctor_appointment'],
    ['Льготные лекарства по рецепту не выдают второй месяц, инсулина нет', 'health', 'free_medicines'],
    ['Мусор с контейнерной площадки не вывозили неделю, всё завалено пакетами', 'waste', 'waste_not_collected'],
    ['Автобус 7 не ходит по расписанию, ждали сорок минут на морозе', 'transport', 'transport_timetable'],
  ])('should file «%s» under %s, problem %s', (text, topic, problem) => {
    const a = analyse(text);
    expect(a.detection.isAppeal, a.detection.reasons.join('; ')).toBe(true);
    expect(a.topicIfAppeal, a.detection.reasons.join('; ')).toBe(topic);
    expect(a.problemIfAppeal, a.detection.reasons.join('; ')).toBe(problem);
  });

  it.each([
    'Не работает светофор на перекрёстке Ленина и Мира, машины едут как хотят',
    'Фонари во дворе не горят, а на дороге яма',
    'Соседи сверху топят, УК не отвечает, а квитанции приходят исправно',
    'Врача нет, школу закрыли, автобус не ходит — как жить в деревне?',
  ])("should name a problem only under the detection's own topic: «%s»", (text) => {
    const a = analyse(text);
    if (a.problemIfAppeal !== null) expect(catalog.get(a.problemIfAppeal)?.topic).toBe(a.topicIfAppeal);
  });

  it('should leave the problem unnamed when the text gives nothing to tell problems apart', () => {
    expect(analyse('Сколько можно, опять то же самое, примите меры').problemIfAppeal).toBeNull();
  });
});

describe('appeals the advertising words must not veto', () => {
  it.each([
    ['Инсулин бесплатно по рецепту не выдают уже месяц, в аптеке говорят поставок нет', 'health'],
    ['Отказали в едином пособии на детей, сказали доход превышен, звоню в соцзащиту — никто не берёт трубку', 'social'],
    ['Обещали акцию по бесплатной замене счётчиков для пенсионеров, а в УК ничего не знают', 'housing'],
  ])('should register «%s» as an appeal about %s', (text, topic) => {
    const d = detect(text);
    expect(d.isAppeal, `${d.score} ${d.reasons.join('; ')}`).toBe(true);
    expect(d.topic).toBe(topic);
  });
});

describe('sarcasm', () => {
  it('should read «Спасибо за дороги, подвеска уже не выдерживает» as a complaint about roads', () => {
    const d = detect('Спасибо за дороги, подвеска уже не выдерживает');
    expect(d.isAppeal, `${d.score} ${d.reasons.join('; ')}`).toBe(true);
    expect(d.topic).toBe('roads');
  });
});

describe('questions, not complaints', () => {
  it.each(['Сколько стоит проезд по школьной карте?', 'Подскажите, до скольки сегодня работает МФЦ на Ленина?', 'Где получить справку о составе семьи?'])(
    'should take «%s» for a question to the authorities',
    (text) => {
      expect(detect(text).kind).toBe('question');
    },
  );
});

describe('spam and chatter', () => {
  it.each([
    'Требуются работники на удалёнку, доход от 3000 в день, пишите в лс',
    'Тρе6γются ρабσтники! Зαρабσтσк от 5000 в день, пиши в ЛС',
    'Продам гараж в центре, недорого, звоните',
    'Ахаха, классное видео 😂',
    'С днём города всех!',
    'Спасибо большое, яму заделали за два дня!',
  ])('should not register «%s»', (text) => {
    const d = detect(text);
    expect(d.isAppeal, `${d.score} ${d.reasons.join('; ')}`).toBe(false);
  });
});
