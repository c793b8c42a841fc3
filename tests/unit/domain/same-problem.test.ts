import { describe, expect, it } from 'vitest';
import { problemWords, sameProblem } from '../../../src/domain/same-problem.js';

const lenina = { street: 'Ленина' };
const r = (text: string, place: { street?: string } | null = lenina) => ({ text, place });

describe('sameProblem', () => {
  it('should join reports naming the same problem with other endings and words around it', () => {
    expect(sameProblem(r('Нет воды на Ленина 20 с утра'), r('Ленина 5 без воды'))).toBe(true);
    expect(sameProblem(r('На Ленина отключили водоснабжение'), r('Когда дадут воду на Ленина?'))).toBe(true);
    expect(sameProblem(r('Холодные батареи на Ленина 12'), r('Батарея еле тёплая, Ленина 3'))).toBe(true);
    expect(sameProblem(r('Яма на Ленина'), r('На Ленина ямы'))).toBe(true);
  });

  it('should keep different problems of one topic and street apart', () => {
    expect(sameProblem(r('Нет воды на Ленина 20'), r('На Ленина 12 еле тёплые батареи, 16 градусов'))).toBe(false);
    expect(sameProblem(r('Не работает лифт, Ленина 17'), r('Нет воды на Ленина'))).toBe(false);
  });

  it('should not count the street, filler words or numbers as the problem', () => {
    expect(problemWords('Здравствуйте! На улице Ленина 12 опять нет воды, сколько можно?', lenina)).toEqual(['воды']);
    expect(sameProblem(r('Ленина, срочно, помогите'), r('Ленина 5, сколько можно'))).toBe(false);
  });

  it("should decide by the taxonomy's problems when both reports have one, by the words otherwise", () => {
    const p = (text: string, problem: string | null) => ({ ...r(text), problem });
    expect(sameProblem(p('Нет воды на Ленина', 'no_cold_water'), p('На Ленина прорвало трубу, вода в подвале', 'pipe_burst_flooding'))).toBe(false);
    expect(sameProblem(p('Нет воды на Ленина', 'no_cold_water'), p('Ленина 5: краны сухие', 'no_cold_water'))).toBe(true);
    expect(sameProblem(p('Нет воды на Ленина', 'no_cold_water'), p('Ленина 5: воды нет', null))).toBe(true);
    expect(sameProblem(p('Нет воды на Ленина', null), p('Ленина 5: краны сухие', null))).toBe(false);
  });
});
