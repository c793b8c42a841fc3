import { describe, expect, it } from 'vitest';
import { burstGroup } from '../../../src/domain/burst-group.js';
import { decodeBurstData, numberRanges, renderBurstSummary } from '../../../src/moderation/burst-summary.js';
import { testConfig } from '../../helpers/index.js';

const config = testConfig({ burst: { buttonsPerPage: 4 } });

describe('burst summaries', () => {
  it('should write incident numbers as runs', () => {
    expect(numberRanges([5, 3, 4, 9, 11, 10, 20])).toBe('№3–5, №9–11, №20');
    expect(numberRanges([7])).toBe('№7');
    expect(numberRanges([])).toBe('');
  });

  it('should group by topic and municipality today, and by problem once an incident has one', () => {
    const a = burstGroup({ topic: 'housing', municipalityId: 'zarechensk' });
    expect(a.key).toBe(burstGroup({ topic: 'housing', municipalityId: 'zarechensk', problem: null }).key);
    expect(a.key).not.toBe(burstGroup({ topic: 'housing', municipalityId: 'sosnovka' }).key);
    expect(burstGroup({ topic: 'housing', municipalityId: 'zarechensk', problem: 'no_power' }).key).not.toBe(a.key);
  });

  it('should show urgent incidents first on the buttons, a page at a time, and only data it can read back', () => {
    const incidents = [1, 2, 3, 4, 5, 6].map((id) => ({ id, urgency: id === 5 ? ('emergency' as const) : ('normal' as const) }));
    const group = burstGroup({ topic: 'housing', municipalityId: 'zarechensk' });
    const first = renderBurstSummary({ summaryId: 9, group, incidents, page: 0 }, config);
    expect(first.text).toContain('6 обращений');
    expect(first.text).toContain('Срочные: №5');
    expect(first.text).toContain('Номера: №1–6');
    expect(first.text).toContain('Кнопки: 1 из 2');
    expect(first.buttons.flat().map((b) => b.data)).toEqual(['burst:open:5', 'burst:open:1', 'burst:open:2', 'burst:open:3', 'burst:page:9:1']);
    const second = renderBurstSummary({ summaryId: 9, group, incidents, page: 7 }, config);
    expect(second.page).toBe(1);
    expect(second.buttons.flat().map((b) => b.data)).toEqual(['burst:open:4', 'burst:open:6', 'burst:page:9:0']);
    for (const data of [...first.buttons, ...second.buttons].flat().map((b) => b.data)) {
      expect(decodeBurstData(data)).not.toBeNull();
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    }
    expect(decodeBurstData('burst:open:0')).toBeNull();
    expect(decodeBurstData('burst:page:1:x')).toBeNull();
    expect(decodeBurstData('inc:accept:1:new')).toBeNull();
  });

  it("should name a problem's group by the problem's name, as the cards do, never by its id", () => {
    const group = burstGroup({ topic: 'housing', municipalityId: 'zarechensk', problem: 'electricity' });
    const view = renderBurstSummary({ summaryId: 3, group, incidents: [{ id: 1, urgency: 'normal' }], page: 0 }, config);
    expect(view.text).toContain(`ЖКХ · ${config.problems.label(group.problem as never)}`);
    expect(config.problems.label(group.problem as never)).not.toBe('electricity');
    expect(view.text).not.toContain('electricity');
  });

  it('should stay within a Telegram message for a thousand scattered numbers', () => {
    const incidents = Array.from({ length: 1000 }, (_, i) => ({ id: 1 + i * 2, urgency: i % 3 === 0 ? ('emergency' as const) : ('normal' as const) }));
    const view = renderBurstSummary({ summaryId: 1, group: burstGroup({ topic: 'roads', municipalityId: null }), incidents, page: 0 }, config);
    expect(view.text.length).toBeLessThanOrEqual(4096);
    expect(view.text).toContain('1000 обращений');
  });
});
