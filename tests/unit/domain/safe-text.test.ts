import { describe, expect, it } from 'vitest';
import { safeTelegramHtml, safeText, safeVkText } from '../../../src/domain/safe-text.js';

const J = '\u2060';

describe("escaping citizens' and moderators' words", () => {
  it('should escape Telegram HTML so no tag or entity survives', () => {
    expect(safeTelegramHtml('<b>x</b> & <a href="tg://user?id=1">y</a>')).toBe(
      '&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=&quot;tg://user?id=1&quot;&gt;y&lt;/a&gt;',
    );
  });

  it('should break Telegram @mentions without changing how the text reads', () => {
    expect(safeText('позовите @ivan_petrov', 'telegram')).toBe(`позовите @${J}ivan_petrov`);
    expect(safeTelegramHtml('почта a@b.ru')).toBe(`почта a@${J}b.ru`);
  });

  it('should neutralise VK mention markup and broadcast mentions', () => {
    expect(safeVkText('[id1|Павел] и [club123|Группа]')).toBe('(id1|Павел) и (club123|Группа)');
    expect(safeVkText('@all @online @id5 *id5 *club1')).toBe(`@${J}all @${J}online @${J}id5 *${J}id5 *${J}club1`);
    expect(safeVkText('Обычный текст, 5 * 3 = 15')).toBe('Обычный текст, 5 * 3 = 15');
  });

  it('should leave VK text without markup as it is', () => {
    expect(safeText('Яма на Ленина 5 — отремонтируем до 25.11', 'vk')).toBe('Яма на Ленина 5 — отремонтируем до 25.11');
  });
});
