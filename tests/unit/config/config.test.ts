import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfig, readProblemsFileIfAny, secretValues } from '../../../src/config.js';
import { ConfigError } from '../../../src/errors.js';
import { fakeTokenEnv, REPO_ROOT, testConfig } from '../../helpers/index.js';

const configDir = join(REPO_ROOT, 'config');
const problems = readProblemsFileIfAny(configDir);
const defaults = JSON.parse(readFileSync(join(configDir, 'default.json'), 'utf8')) as { vk: { communities: { groupId: number }[] } };

describe('createConfig', () => {
  it('should accept the shipped default config with tokens in the environment', () => {
    const config = testConfig();
    expect(config.vk.communities.length).toBeGreaterThan(0);
    expect(config.secrets.vkReader).toEqual({ kind: 'user', token: 'vk-user-token-test' });
    expect(secretValues(config)).toContain('123456:telegram-test-token');
  });

  it('should name the missing variable and point to .env.example and the demo', () => {
    const env = fakeTokenEnv(defaults);
    delete env.TELEGRAM_BOT_TOKEN;
    expect(() => createConfig({ configDir, defaults, problems, env })).toThrow(/TELEGRAM_BOT_TOKEN.*\.env\.example.*npm run demo/s);
  });

  describe('max', () => {
    const house = { chatId: -70, title: 'Дом Ленина 5', municipalityId: null };
    const webhook = { chats: [house], webhook: { publicUrl: 'https://bot.example.ru/max/webhook' } };

    it('should need no MAX token while MAX watches nothing', () => {
      expect(testConfig().secrets).toMatchObject({ maxToken: null, maxWebhookSecret: null });
    });

    it('should name MAX_BOT_TOKEN, then MAX_WEBHOOK_SECRET, when MAX watches a chat', () => {
      expect(() => testConfig({ max: webhook })).toThrow(/MAX_BOT_TOKEN/);
      expect(() => testConfig({ max: webhook }, { MAX_BOT_TOKEN: 'max-token-test' })).toThrow(/MAX_WEBHOOK_SECRET.*longpoll/s);
      expect(() => testConfig({ max: webhook }, { MAX_BOT_TOKEN: 'max-token-test', MAX_WEBHOOK_SECRET: 'bad secret!' })).toThrow(/5-256 characters/);
      const config = testConfig({ max: webhook }, { MAX_BOT_TOKEN: 'max-token-test', MAX_WEBHOOK_SECRET: 'a-good_secret' });
      expect(config.secrets).toMatchObject({ maxToken: 'max-token-test', maxWebhookSecret: 'a-good_secret' });
      expect(secretValues(config)).toEqual(expect.arrayContaining(['max-token-test', 'a-good_secret']));
    });

    it('should need a public URL and the ops server for webhooks, and neither for long polling', () => {
      const env = { MAX_BOT_TOKEN: 'max-token-test', MAX_WEBHOOK_SECRET: 'a-good_secret' };
      expect(() => testConfig({ max: { chats: [house] }, http: { enabled: false } }, env)).toThrow(/max\.webhook\.publicUrl[\s\S]*http\.enabled/);
      expect(
        testConfig({ max: { chats: [house], mode: 'longpoll' }, http: { enabled: false } }, { MAX_BOT_TOKEN: 'max-token-test' }).secrets.maxWebhookSecret,
      ).toBeNull();
      expect(() => testConfig({ max: { chats: [house], webhook: { publicUrl: 'http://bot.example.ru/max/webhook' } } }, env)).toThrow(/only to https/);
    });

    it('should refuse a moderators chat in both Telegram and MAX, and an unknown municipality', () => {
      const env = { MAX_BOT_TOKEN: 'max-token-test' };
      expect(() => testConfig({ max: { mode: 'longpoll', moderatorsChatId: -71 } }, env)).toThrow(
        /max\.moderatorsChatId = -71: telegram\.moderatorsChatId is set too/,
      );
      expect(() => testConfig({ max: { mode: 'longpoll', channels: [{ ...house, municipalityId: 'atlantis' }] } }, env)).toThrow(
        /max\.channels\.0\.municipalityId = "atlantis"/,
      );
    });
  });

  it('should read gazetteer names with and without coordinates, and refuse a point off the globe or a map link without {lat}', () => {
    const config = testConfig({
      municipalities: [
        { id: 'z', name: 'Зареченск', streets: ['Мира', { name: 'Ленина', lat: 56.9, lon: 40.5 }], settlements: [{ name: 'Зареченск', lat: 56.9, lon: 40.5 }] },
      ],
      vk: { communities: [] },
      telegram: { chats: [] },
      moderators: [],
      departments: [],
    });
    expect(config.municipalities[0]).toMatchObject({ streets: ['Мира', 'Ленина'], settlements: ['Зареченск'] });
    expect(config.municipalities[0]!.points).toEqual([
      { municipalityId: 'z', kind: 'street', name: 'Ленина', lat: 56.9, lon: 40.5 },
      { municipalityId: 'z', kind: 'settlement', name: 'Зареченск', lat: 56.9, lon: 40.5 },
    ]);
    expect(() => testConfig({ municipalities: [{ id: 'z', name: 'З', streets: [{ name: 'Ленина', lat: 91, lon: 40 }] }] })).toThrow(
      /municipalities\.0\.streets\.0/,
    );
    expect(() => testConfig({ location: { mapUrl: 'https://maps.example/?q={lon}' } })).toThrow(/location\.mapUrl.*\{lat\}/);
    expect(testConfig().media).toMatchObject({ download: false, maxFileBytes: 20 * 1024 * 1024 });
  });

  it('should name a missing community token by its variable', () => {
    const env = fakeTokenEnv(defaults);
    delete env.VK_COMMUNITY_TOKEN_210002;
    expect(() => createConfig({ configDir, defaults, problems, env })).toThrow(/VK_COMMUNITY_TOKEN_210002/);
  });

  it('should name the key, the value and what is expected for a bad value', () => {
    const error = (() => {
      try {
        testConfig({ vk: { pollIntervalSeconds: 'often' } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('vk.pollIntervalSeconds = "often"');
    expect(error.message).toMatch(/number/);
  });

  it('should refuse a community routed to a municipality that does not exist', () => {
    expect(() =>
      testConfig({ vk: { communities: [{ groupId: 1, name: 'X', municipalityId: 'atlantis' }] } }, { VK_COMMUNITY_TOKEN_1: 'token-1-abcdef' }),
    ).toThrow(/vk\.communities\.0\.municipalityId = "atlantis"/);
  });

  it('should stop at load on a schedule that is not a valid cron expression, naming the key', () => {
    expect(() => testConfig({ schedules: { digest: '0 25 * * *' } })).toThrow(ConfigError);
    expect(() => testConfig({ schedules: { digest: '0 25 * * *' } })).toThrow(/schedules\.digest = "0 25 \* \* \*" is not a valid cron expression/);
  });

  it('should refuse a schedule restricting both day of month and day of week (node-cron 4 ANDs them)', () => {
    expect(() => testConfig({ schedules: { retention: '30 3 1 * 1' } })).toThrow(/schedules\.retention .*AND/);
  });

  it('should poll VK walls every vk.pollIntervalSeconds unless schedules.vkPoll says otherwise', () => {
    expect(testConfig().schedules.vkPoll).toBe('0 */1 * * * *');
    expect(testConfig({ vk: { pollIntervalSeconds: 5 } }).schedules.vkPoll).toBe('*/5 * * * * *');
    expect(testConfig({ vk: { pollIntervalSeconds: 300 } }).schedules.vkPoll).toBe('0 */5 * * * *');
    expect(testConfig({ vk: { pollIntervalSeconds: 3600 } }).schedules.vkPoll).toBe('0 0 * * * *');
    expect(testConfig({ vk: { pollIntervalSeconds: 5 }, schedules: { vkPoll: '*/2 * * * * *' } }).schedules.vkPoll).toBe('*/2 * * * * *');
  });

  it('should let the environment override endpoints and the database path', () => {
    const config = testConfig({}, { VK_API_BASE_URL: 'http://127.0.0.1:1/method', OTKLIK_DB_PATH: '/tmp/x.sqlite' });
    expect(config.vk.apiBaseUrl).toBe('http://127.0.0.1:1/method');
    expect(config.database.path).toBe('/tmp/x.sqlite');
  });

  it('should refuse an unknown key in the local config, naming the closest known key, at any depth', () => {
    expect(() => testConfig({ vk: { pollIntervalSecond: 30 } })).toThrow(
      'vk.pollIntervalSecond: unknown key in config/local.json (did you mean vk.pollIntervalSeconds?)',
    );
    expect(() => testConfig({ moderators: [{ platform: 'vk', id: 5, name: 'Ира', role: 'regional', municiplaityId: null }] })).toThrow(
      'moderators.0.municiplaityId: unknown key in config/local.json (did you mean moderators.0.municipalityId?)',
    );
    expect(() => testConfig({ nothingLikeAnyKey: 1 })).toThrow(/nothingLikeAnyKey: unknown key in config\/local\.json$/m);
    // Template tables and FAQ words are free-form: their keys are checked by their own rules.
    expect(testConfig({ outbox: { batchSize: 10 } }).outbox.batchSize).toBe(10);
  });

  it('should refuse a time zone that is not one, with the look-alike letter and the closest zone, before anything starts', () => {
    // «Europe/Mosсow» with a Cyrillic «с».
    const error = (() => {
      try {
        testConfig({ region: { name: 'Регион', timezone: 'Europe/Mos\u0441ow' } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('region.timezone = "Europe/Mos\u0441ow": not an IANA time zone');
    expect(error.message).toContain('«\u0441» (U+0441)');
    expect(error.message).toContain('did you mean "Europe/Moscow"?');
    expect(testConfig({ region: { name: 'Регион', timezone: 'Asia/Yekaterinburg' } }).region.timezone).toBe('Asia/Yekaterinburg');
  });

  it('should name the environment variable and the text it gave for a value it set badly', () => {
    expect(() => testConfig({}, { HTTP_PORT: 'abc' })).toThrow('HTTP_PORT = "abc" (environment, sets http.port)');
    expect(() => testConfig({}, { CONSOLE_PORT: '70000' })).toThrow(/CONSOLE_PORT = "70000" \(environment, sets console\.port\)/);
    expect(() => testConfig({}, { LOG_PRETTY: 'da' })).toThrow('LOG_PRETTY = "da" (environment, sets logging.pretty)');
    expect(() => testConfig({}, { LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL = "verbose" (environment, sets logging.level)');
    expect(() => testConfig({}, { VK_API_BASE_URL: 'api.vk.com' })).toThrow('VK_API_BASE_URL = "api.vk.com" (environment, sets vk.apiBaseUrl)');
    expect(testConfig({}, { HTTP_PORT: '9500', LOG_PRETTY: 'true' })).toMatchObject({ http: { port: 9500 }, logging: { pretty: true } });
  });

  describe("moderators' alert templates", () => {
    /** The shipped config with `change` applied to a copy of its templates.ru. */
    function withRu(change: (ru: Record<string, string>) => void): unknown {
      const copy = JSON.parse(JSON.stringify(defaults)) as { templates: { ru: Record<string, string> } };
      change(copy.templates.ru);
      return copy;
    }
    const load = (files: unknown) => () => createConfig({ configDir, defaults: files, problems, env: fakeTokenEnv(defaults) });

    it('should stop the start when an alert template is absent, naming its key and placeholders', () => {
      const start = load(withRu((ru) => delete ru.alert_deadline_soon));
      expect(start).toThrow(ConfigError);
      expect(start).toThrow(/templates\.ru\.alert_deadline_soon = missing: .*\{number\}, \{action\}, \{due\}/);
    });

    it('should stop the start when an alert template lost a required placeholder, naming the key, the text and the placeholder', () => {
      const start = load(withRu((ru) => (ru.alert_spike = '⚠️ Риск: {topic} — {municipality}, {count}')));
      expect(start).toThrow('templates.ru.alert_spike = "⚠️ Риск: {topic} — {municipality}, {count}": misses the placeholder {list}');
    });

    it('should refuse a placeholder the alert never fills, so a typo does not reach the moderators', () => {
      expect(load(withRu((ru) => (ru.alert_source_stopped = 'Остановлено: {chanel} ({reason})')))).toThrow(
        /templates\.ru\.alert_source_stopped = .*misses the placeholder \{channel\}[\s\S]*unknown placeholder \{chanel\} \(known: \{channel\}, \{reason\}\)/,
      );
    });

    it("should check the citizens' reply templates the same way: a lost or misspelt placeholder stops the start", () => {
      expect(load(withRu((ru) => (ru.status_answered = 'Ответ по обращению №{number}')))).toThrow(
        'templates.ru.status_answered = "Ответ по обращению №{number}": misses the placeholder {text}',
      );
      expect(load(withRu((ru) => (ru.ack = 'Обращение №{number}, отдел {departmnet}')))).toThrow(
        /templates\.ru\.ack = .*unknown placeholder \{departmnet\} \(known: \{number\}, \{department\}\)/,
      );
      expect(load(withRu((ru) => delete ru.citizen_help))).toThrow("templates.ru.citizen_help = missing: a citizens' reply template is required");
    });

    it('should refuse a template key no part of the bot reads, naming the closest one', () => {
      expect(load(withRu((ru) => (ru.alert_spkie = 'Риск: {topic}')))).toThrow('templates.ru.alert_spkie: no such template (did you mean alert_spike?)');
      expect(load(withRu((ru) => (ru.something_else = 'x')))).toThrow(
        /templates\.ru\.something_else: no such template\n|templates\.ru\.something_else: no such template$/,
      );
    });

    it("should check the moderators' card and command texts the same way", () => {
      expect(load(withRu((ru) => delete ru.card_button_accept))).toThrow("templates.ru.card_button_accept = missing: a moderators' text template is required");
      expect(load(withRu((ru) => (ru.card_title = '<b>Обращение</b> — {status}')))).toThrow(
        'templates.ru.card_title = "<b>Обращение</b> — {status}": misses the placeholder {number}',
      );
    });

    it('should take a translated alert in region.language and fall back to ru for the rest, checking the translation too', () => {
      const en = { alert_spike_hint: 'Consider an announcement: /announce' };
      expect(testConfig({ region: { language: 'en' }, templates: { en } }).templates.en).toEqual(en);
      expect(() => testConfig({ region: { language: 'en' }, templates: { en: { alert_regional: 'Regional moderators' } } })).toThrow(
        /templates\.en\.alert_regional = "Regional moderators": misses the placeholder \{moderators\}/,
      );
    });
  });
});
