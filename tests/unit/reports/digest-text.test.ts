import { describe, expect, it } from 'vitest';
import type { ProblemId } from '../../../src/domain/problem.js';
import type { DigestStats } from '../../../src/reports/digest-stats.js';
import { formatDigest } from '../../../src/reports/digest-text.js';
import { testConfig } from '../../helpers/index.js';

const none = { n: 0, median: null, p90: null };

function stats(retention: DigestStats['retention']): DigestStats {
  return {
    period: { from: 0, to: 1 },
    total: 0,
    byStatus: {},
    byTopic: [],
    byProblem: [],
    byMunicipality: [],
    bySource: [],
    timeToAck: none,
    timeToAccept: none,
    timeToAnswer: none,
    overdue: { count: 0, ids: [] },
    municipalShare: null,
    spikes: [],
    retention,
    detector: { span: { from: 0, to: 1 }, autoRegistered: 0, notAppeals: 0, precision: null, topicCorrected: 0, problemCorrected: 0 },
  };
}

describe('the digest text', () => {
  it('should count cleared messages in the right Russian form', () => {
    const config = testConfig();
    const line = (messagesCleared: number) =>
      formatDigest(stats({ messagesCleared, incidentsAnonymised: 0 }), config, 'Сводка')
        .split('\n')
        .at(-1);
    expect(line(1)).toBe('Персональные данные: удалены тексты 1 сообщения, обезличено обращений: 0');
    expect(line(12)).toBe('Персональные данные: удалены тексты 12 сообщений, обезличено обращений: 0');
    expect(line(21)).toBe('Персональные данные: удалены тексты 21 сообщения, обезличено обращений: 0');
  });

  it('should head the digest from templates.ru.digest_header, escaping the title and the region name', () => {
    const empty = stats({ messagesCleared: 0, incidentsAnonymised: 0 });
    const shipped = testConfig({ region: { name: 'Энская <область> & Co' } });
    expect(formatDigest(empty, shipped, 'Сводка за 22.11.2026').split('\n')[0]).toBe('📊 <b>Сводка за 22.11.2026</b> — Энская &lt;область&gt; &amp; Co');
    const own = testConfig({ templates: { ru: { digest_header: '<i>{title}</i> ({region})' } } });
    expect(formatDigest(empty, own, 'Сводка <за день>').split('\n')[0]).toBe(`<i>Сводка &lt;за день&gt;</i> (${own.region.name})`);
  });

  it('should word the body lines from the digest_* templates, escaping the names and keeping the template markup', () => {
    const full: DigestStats = {
      ...stats({ messagesCleared: 5, incidentsAnonymised: 2 }),
      total: 3,
      byStatus: { new: 3 },
      byTopic: [{ topic: 'roads', count: 3 }],
      byMunicipality: [{ municipalityId: 'zarechensk', count: 3 }],
      bySource: [{ channel: 'vk_comment', count: 3 }],
      timeToAck: { n: 3, median: 60_000, p90: 120_000 },
      overdue: { count: 1, ids: [7] },
    };
    const own = testConfig({
      region: { name: 'Регион' },
      templates: {
        ru: {
          digest_topics: '<u>Темы</u>: {list}',
          digest_timing_none: '—',
          digest_time_answer: 'Ответ: {timing}',
          digest_overdue: 'Просрочены: {list} ({count})',
        },
      },
    });
    const lines = formatDigest(full, own, 'Сводка').split('\n');
    expect(lines).toContain('<u>Темы</u>: дороги 3');
    expect(lines).toContain('Ответ: —');
    expect(lines).toContain('Просрочены: №7 (1)');
    expect(lines).toContain('Персональные данные: удалены тексты 5 сообщений, обезличено обращений: 2');
    const shipped = formatDigest(full, testConfig(), 'Сводка').split('\n');
    expect(shipped[1]).toMatch(/^Обращений: <b>3<\/b> — \S+ 3$/);
    expect(shipped).toContain('До принятия: нет данных');
  });

  it('should list the most frequent problems by their Russian labels, and no line when no incident has one', () => {
    const config = testConfig();
    const base = { ...stats({ messagesCleared: 0, incidentsAnonymised: 0 }), total: 9, byTopic: [{ topic: 'housing' as const, count: 9 }] };
    const problems = [
      { problem: 'no_hot_water' as ProblemId, count: 5 },
      { problem: 'lift' as ProblemId, count: 3 },
    ];
    expect(formatDigest({ ...base, byProblem: problems }, config, 'Сводка').split('\n')).toContain('Частые проблемы: Нет горячей воды 5, Лифт 3');
    expect(formatDigest(base, config, 'Сводка')).not.toContain('Частые проблемы');
  });

  it("should give the detector's week as moderators saw it: precision and the share of corrected topics and problems", () => {
    const config = testConfig();
    const from = Date.parse('2026-11-16T00:00:00+03:00');
    const to = Date.parse('2026-11-23T00:00:00+03:00');
    const detector = { span: { from, to }, autoRegistered: 20, notAppeals: 2, precision: 0.9, topicCorrected: 3, problemCorrected: 9 };
    const text = formatDigest({ ...stats({ messagesCleared: 0, incidentsAnonymised: 0 }), detector }, config, 'Сводка');
    expect(text).toContain(
      'Детектор за неделю (16.11–22.11): сам зарегистрировал 20, из них не обращения 2 — точность 90%; тема исправлена у 3 (17%), проблема — у 9 (50%)',
    );
    const quiet = formatDigest(
      { ...stats({ messagesCleared: 0, incidentsAnonymised: 0 }), detector: { ...detector, autoRegistered: 0, notAppeals: 0, precision: null } },
      config,
      'Сводка',
    );
    expect(quiet).toContain('Детектор за неделю (16.11–22.11): сам не зарегистрировал ни одного обращения');
  });
});
