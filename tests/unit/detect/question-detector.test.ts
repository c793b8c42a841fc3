import { describe, expect, it } from 'vitest';
import { QuestionDetector, questionWords } from '../../../src/detect/question-detector.js';
import { gazetteerOf, loadDetector } from '../../../src/detector-loader.js';
import type { Detection, Detector } from '../../../src/domain/detection.js';
import { testConfig } from '../../helpers/index.js';

const NONE: Detection = {
  isAppeal: false,
  kind: 'none',
  score: 0.1,
  verdict: 'ignore',
  topic: null,
  problem: null,
  urgency: 'normal',
  statesProblem: false,
  language: 'rus',
  place: null,
  reasons: [],
};
const fixed = (detection: Detection): Detector => ({ detect: () => detection });

describe('questionWords', () => {
  it('should find requests for information from the authorities', () => {
    for (const text of [
      'Подскажите расписание автобуса №3',
      'До скольки работает МФЦ?',
      'Добрый день! Во сколько сегодня работает МФЦ?',
      'Подскажите, как узнать расписание автобусов на выходные?',
      'Куда обращаться, чтобы получить справку о составе семьи?',
      'Скажите, пожалуйста, какие документы нужны для субсидии',
      'Когда будет приём у депутата в декабре?',
      'Можно ли записать ребёнка в садик через госуслуги?',
    ]) {
      expect(questionWords(text), text).not.toBeNull();
    }
  });

  it('should leave questions to the people of a chat, rhetoric and statements alone', () => {
    for (const text of [
      'Ребят, кто знает хорошего сантехника?',
      'Кто-нибудь знает, во сколько сегодня открывается рынок?',
      'Сколько можно это терпеть?!',
      'Во дворе уже неделю не вывозят мусор',
      'Привет, бот! Ты настоящий?',
      'Всем доброе утро',
    ]) {
      expect(questionWords(text), text).toBeNull();
    }
  });
});

describe('QuestionDetector', () => {
  it('should keep a confident complaint a complaint even when it asks where to turn', () => {
    const complaint: Detection = { ...NONE, isAppeal: true, kind: 'complaint', score: 0.95, verdict: 'reply', topic: 'housing' };
    expect(new QuestionDetector(fixed(complaint)).detect('Из крана течёт ржавая вода, куда обращаться?')).toBe(complaint);
  });

  it('should make a question of a message the detector would ignore or only review, with the words first among the reasons', () => {
    const detection = new QuestionDetector(fixed({ ...NONE, reasons: ['модель: 0.10'] })).detect('Подскажите, до скольки работает МФЦ?');
    expect(detection).toMatchObject({ isAppeal: true, kind: 'question', verdict: 'reply' });
    expect(detection.reasons).toEqual(['вопрос: «подскажите», «до скольки»', 'модель: 0.10']);
  });

  it("should tell the shipped detector's questions from its complaints", () => {
    const config = testConfig();
    const detector = loadDetector(config.configDir, gazetteerOf(config), config.problems);
    expect(detector.detect('Подскажите, как узнать расписание автобусов на выходные?').kind).toBe('question');
    expect(detector.detect('Добрый день! Во сколько сегодня работает МФЦ?').kind).toBe('question');
    expect(detector.detect('На Заводской 15 из крана течёт ржавая вода, пить невозможно. Куда обращаться?').kind).toBe('complaint');
    expect(detector.detect('Ребят, кто знает хорошего сантехника?').kind).toBe('none');
  });
});
