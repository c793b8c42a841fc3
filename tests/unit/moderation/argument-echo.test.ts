import { describe, expect, it } from 'vitest';
import { handleReport } from '../../../src/moderation/commands/report.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, testConfig } from '../../helpers/index.js';

const J = '\u2060';

describe("echoing a moderator's wrong arguments back", () => {
  const config = testConfig();
  const db = freshDb();
  const clock = () => Date.parse('2026-11-23T12:00:00+03:00');
  const telegram = config.moderators.find((m) => m.platform === 'telegram')!;
  const vk = config.moderators.find((m) => m.platform === 'vk')!;

  it('should quote an unknown /report period without a working mention, short, and say how to write it', () => {
    expect(handleReport('@all', { stores: createStores(db), config, clock, moderator: telegram }).text).toBe(
      `Не понял период «@${J}all». Использование: /report [сегодня | вчера | неделя | месяц | 7d | 2026-11-23 | 2026-11-01..2026-11-30]`,
    );
    expect(handleReport('[id1|Павел]', { stores: createStores(db), config, clock, moderator: vk }).text).toContain('«(id1|Павел)»');
    expect(handleReport('x'.repeat(5000), { stores: createStores(db), config, clock, moderator: telegram }).text.length).toBeLessThan(200);
  });
});
