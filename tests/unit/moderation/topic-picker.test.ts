import { describe, expect, it } from 'vitest';
import { decodeCardData } from '../../../src/moderation/incident-card.js';
import { decodeScreen, pickerButtons } from '../../../src/moderation/topic-picker.js';
import { testConfig } from '../../helpers/index.js';

const { problems } = testConfig();
const words = { back: 'Назад', more: 'Ещё', cancel: 'Отмена', topicOnly: 'Только тема' };
const incident = { id: 123_456_789_012, status: 'needs_info' as const };

describe('the «Изменить тему» keyboard', () => {
  it('should keep every screen within 10 buttons, 5 rows of at most 2, and 64 bytes of data, even for the longest number and status', () => {
    const screens = [
      { kind: 'topics' as const, page: 0 },
      { kind: 'topics' as const, page: 1 },
      ...problems.problems.map((p) => p.topic).flatMap((topic) => [0, 1].map((page) => ({ kind: 'problems' as const, topic, page }))),
    ];
    for (const screen of screens) {
      const rows = pickerButtons(screen, incident, problems, words);
      expect(rows.flat().length, JSON.stringify(screen)).toBeLessThanOrEqual(10);
      expect(rows.length).toBeLessThanOrEqual(5);
      for (const row of rows) expect(row.length).toBeLessThanOrEqual(2);
      for (const button of rows.flat()) {
        expect(Buffer.byteLength(button.data)).toBeLessThanOrEqual(64);
        expect(button.text.length).toBeLessThanOrEqual(40);
        expect(decodeCardData(button.data), button.data).not.toBeNull();
      }
    }
  });

  it('should reach every problem of every topic through the pages', () => {
    const reachable = new Set<string>();
    for (const topic of new Set(problems.problems.map((p) => p.topic))) {
      for (let page = 0; page < 3; page++) {
        for (const b of pickerButtons({ kind: 'problems', topic, page }, incident, problems, words).flat()) {
          const screen = decodeScreen(decodeCardData(b.data)!.screen, problems);
          if (screen?.kind === 'choose' && screen.problem) reachable.add(screen.problem);
        }
      }
    }
    expect([...reachable].sort()).toEqual(problems.problems.map((p) => p.id).sort());
  });

  it("should lead from the topics to a topic's problems and back, and offer the topic alone", () => {
    const first = pickerButtons({ kind: 'topics', page: 0 }, incident, problems, words).flat();
    const housing = first.find((b) => b.text === 'ЖКХ')!;
    expect(decodeScreen(decodeCardData(housing.data)!.screen, problems)).toEqual({ kind: 'problems', topic: 'housing', page: 0 });
    const screen = pickerButtons({ kind: 'problems', topic: 'safety', page: 0 }, incident, problems, words).flat();
    expect(decodeScreen(decodeCardData(screen[0]!.data)!.screen, problems)).toEqual({ kind: 'choose', topic: 'safety', problem: null });
    // «safety» is on the second page of topics: back leads there.
    expect(decodeScreen(decodeCardData(screen.find((b) => b.text === 'Назад')!.data)!.screen, problems)).toEqual({ kind: 'topics', page: 1 });
  });

  it('should refuse screens it never wrote', () => {
    expect(decodeScreen('!no_such_problem', problems)).toBeNull();
    expect(decodeScreen('p0.weather', problems)).toBeNull();
    expect(decodeScreen('=weather', problems)).toBeNull();
    expect(decodeScreen('t', problems)).toBeNull();
    expect(decodeCardData('inc:accept:1:new:t0')).toBeNull();
    expect(decodeCardData(`inc:topic:1:new:${'a'.repeat(41)}`)).toBeNull();
  });
});
