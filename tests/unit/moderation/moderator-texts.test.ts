import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import { IncidentService } from '../../../src/incidents/incident-service.js';
import { createLogger } from '../../../src/logger.js';
import { parseAnnounce } from '../../../src/moderation/commands/announce.js';
import { IncidentCardPublisher } from '../../../src/moderation/incident-card-publisher.js';
import { ModerationHandler } from '../../../src/moderation/moderation-handler.js';
import { parsePeriod, periodTitle } from '../../../src/reports/period.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, testConfig } from '../../helpers/index.js';

const MODERATORS_CHAT = -1001000000099;
const REGIONAL = 9001;

/** The handler on a fresh database with the shipped config and `templates` merged over templates.ru. */
function setup(templates: Record<string, string>) {
  const db = freshDb();
  const config = testConfig({ templates: { ru: templates } });
  const clock = () => Date.parse('2026-11-23T12:00:00+03:00');
  const logger = createLogger({ level: 'silent', pretty: false, secrets: [], destination: new PassThrough() });
  const cards = new IncidentCardPublisher({ stores: createStores(db), config, clock });
  const incidents = new IncidentService({ stores: createStores(db), config, clock, cards });
  const handler = new ModerationHandler({ stores: createStores(db), config, clock, logger, incidents, cards });
  let next = 1;
  /** The reply the regional moderator gets to `text` in the moderators' chat. */
  const command = (text: string): string => {
    const messageId = next++;
    const message: InboundMessage = {
      channel: 'telegram',
      externalId: `${MODERATORS_CHAT}_${messageId}`,
      thread: { channel: 'telegram', chatId: MODERATORS_CHAT, messageId },
      author: { platform: 'telegram', id: REGIONAL, name: 'Анна', isBot: false },
      text,
      attachments: [],
      source: { platform: 'telegram', chatId: MODERATORS_CHAT, chatType: 'supergroup', title: null, username: null },
      isPrivate: false,
      createdAt: clock(),
    };
    expect(handler.handleMessage(message, messageId)).toBe(true);
    return db.prepare<[string], { text: string }>('SELECT text FROM outbox WHERE idempotency_key = ?').get(`reply:${messageId}`)!.text;
  };
  return { command };
}

describe("moderators' command texts from config", () => {
  it('should word refusals and /help from the mod_* templates, quoting the usage line of the command', () => {
    const { command } = setup({
      mod_unknown_command: 'Нет команды /{command}.',
      mod_no_number: 'Номер? {usage}',
      mod_usage_close: '/close N — закрыть',
      mod_help_regional: 'Справка для региона:',
    });
    expect(command('/frobnicate')).toBe('Нет команды /frobnicate.');
    expect(command('/close')).toBe('Номер? /close N — закрыть');
    const help = command('/help').split('\n');
    expect(help[0]).toBe('Справка для региона:');
    expect(help).toContain('/close N — закрыть');
  });

  it('should word query and /incident replies from the mod_* templates', () => {
    const { command } = setup({
      mod_list_none: 'Пусто.',
      mod_find_short: 'Мало букв ({usage})',
      mod_usage_find: '/find слово',
      mod_mark_not_reply: 'Ответом, пожалуйста.',
    });
    expect(command('/list')).toBe('Пусто.');
    expect(command('/find я')).toBe('Мало букв (/find слово)');
    expect(command('/incident')).toBe('Ответом, пожалуйста.');
  });

  it('should title reports and /stats by the period templates, reading as before with the shipped ones', () => {
    const config = testConfig();
    const now = Date.parse('2026-11-23T12:00:00+03:00');
    const title = (words: string) => periodTitle(config, parsePeriod(words, now, 'Europe/Moscow')!.span);
    expect(['', 'вчера', 'неделя', 'месяц', '5d', '2026-11-01', '2026-11-01..2026-11-10'].map(title)).toEqual([
      'Сводка за сегодня, 23.11.2026',
      'Сводка за 22.11.2026',
      'Сводка за 7 дней',
      'Сводка за 30 дней',
      'Сводка за 5 дн.',
      'Сводка за 01.11.2026',
      'Сводка за 01.11.2026–10.11.2026',
    ]);
    const own = testConfig({ templates: { ru: { mod_stats_title: 'Цифры {period}', mod_period_days: 'за последние {days} дн.' } } });
    expect(periodTitle(own, parsePeriod('3d', now, 'Europe/Moscow')!.span, 'mod_stats_title')).toBe('Цифры за последние 3 дн.');
  });

  it('should word /stats and /announce refusals from the mod_* templates', () => {
    const { command } = setup({
      mod_bad_period: '«{given}»? Попробуйте /{command} неделя',
      mod_stats_none: '{title}: {total}',
      mod_stats_title: 'Итого {period}',
    });
    expect(command('/stats когда-то')).toBe('«когда-то»? Попробуйте /stats неделя');
    expect(command('/stats сегодня').split('\n')[0]).toBe('Итого за сегодня, 23.11.2026: 0');
    const config = testConfig({ templates: { ru: { mod_announce_no_text: 'Где текст?' } } });
    expect(parseAnnounce('zarechensk', config)).toBe('Где текст?');
  });

  it('should read as before with the shipped templates', () => {
    const { command } = setup({});
    expect(command('/accept 7')).toBe('Обращения №7 нет. Проверьте номер: /list покажет открытые обращения.');
    expect(command('/accept x')).toBe('«x» — не номер обращения. Использование: /accept N [отдел] — принять в работу (и назначить отдел)');
  });
});
