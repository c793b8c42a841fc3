import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';

const TOKEN = '123456:AAFsecret-telegram-token';
const VK = 'vk1.a.supersecretusertoken';

function capture(pretty: boolean) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logger = createLogger({ level: 'debug', pretty, secrets: [TOKEN, VK], destination: out });
  return { logger, text: () => text };
}

function logEverything(logger: ReturnType<typeof createLogger>): void {
  logger.info({ text: 'Нет воды на Ленина 20', authorName: 'Иван Петров', incident_id: 16 }, 'incident created');
  logger.warn({ message: { text: 'У меня маленький ребёнок', author: { name: 'Лариса Тарасова', id: 100204 } } }, 'skipped');
  logger.error(
    { err: new Error(`POST https://api.telegram.org/bot${TOKEN}/sendMessage failed`), url: `https://api.vk.com/method/wall.get?access_token=${VK}&v=5.199` },
    'call failed',
  );
  logger.child({ job: 'digest' }).info({ token: VK }, 'with a token field');
}

describe('logger', () => {
  it('should write one JSON object per line with level, time, message and context', () => {
    const { logger, text } = capture(false);
    logEverything(logger);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'incident created', incident_id: 16, app: 'otklik' });
    expect(typeof lines[0]!.time).toBe('number');
    expect(lines[3]).toMatchObject({ job: 'digest', level: 30 });
  });

  it("should redact citizens' texts and names and scrub every token, in JSON and in pretty mode", () => {
    for (const pretty of [false, true]) {
      const { logger, text } = capture(pretty);
      logEverything(logger);
      const out = text();
      for (const secret of [TOKEN, VK, 'AAFsecret', 'Нет воды', 'Иван Петров', 'маленький ребёнок', 'Лариса'])
        expect(out, `${secret} (pretty=${pretty})`).not.toContain(secret);
      expect(out).toContain('[personal]');
      expect(out).toContain('[redacted]');
      expect(out).toContain('100204');
    }
  });

  it('should print lines for people in pretty mode', () => {
    const { logger, text } = capture(true);
    logger.info({ incident_id: 16 }, 'incident created');
    expect(text()).toMatch(/INFO.*incident created/);
    expect(() => JSON.parse(text())).toThrow();
  });
});
