import { describe, expect, it } from 'vitest';
import { formatDigest } from '../../../src/jobs/digest-job.js';
import type { DigestStats } from '../../../src/jobs/digest-stats.js';
import { testConfig } from '../../helpers/index.js';

const none = { n: 0, median: null, p90: null };

function stats(retention: DigestStats['retention']): DigestStats {
  return {
    period: { from: 0, to: 1 },
    total: 0,
    byStatus: {},
    byTopic: [],
    byMunicipality: [],
    bySource: [],
    timeToAck: none,
    timeToAccept: none,
    timeToAnswer: none,
    overdue: { count: 0, ids: [] },
    municipalShare: null,
    spikes: [],
    retention,
  };
}

describe('the digest text', () => {
  it('should count cleared messages in the right Russian form', () => {
    const config = testConfig();
    const line = (messagesCleared: number) => formatDigest(stats({ messagesCleared, incidentsAnonymised: 0 }), config, 'Сводка').split('\n').at(-1);
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
});
