import { describe, expect, it } from 'vitest';
import { clipMessage, clipText, MESSAGE_TEXT_MAX } from '../../../src/domain/clip-text.js';

const wellFormed = (s: string) => s.isWellFormed();

describe('cutting long texts safely', () => {
  it('should leave a text that fits as it is', () => {
    expect(clipText('Нет воды', 8)).toBe('Нет воды');
  });

  it('should cut to the limit with an ellipsis', () => {
    const cut = clipText('а'.repeat(50), 10);
    expect(cut).toBe(`${'а'.repeat(9)}…`);
    expect(cut.length).toBe(10);
  });

  it('should never split a surrogate pair', () => {
    // The emoji's high surrogate would be the last code unit kept.
    const text = `${'а'.repeat(8)}😊${'б'.repeat(10)}`;
    const cut = clipText(text, 10);
    expect(wellFormed(cut)).toBe(true);
    expect(cut).toBe(`${'а'.repeat(8)}…`);
    expect(clipText(text, 11)).toBe(`${'а'.repeat(8)}😊…`);
  });

  it('should keep Telegram HTML that fits and turn an oversized one into plain text cut safely', () => {
    expect(clipMessage('<b>Сводка</b> &amp; итоги', 'html', 100)).toEqual({ text: '<b>Сводка</b> &amp; итоги', format: 'html' });
    const long = `<b>Сводка</b>\n${'Ленина &amp; Мира &lt;1&gt; '.repeat(300)}`;
    const cut = clipMessage(long, 'html', MESSAGE_TEXT_MAX);
    expect(cut.format).toBe('plain');
    expect(cut.text.length).toBeLessThanOrEqual(MESSAGE_TEXT_MAX);
    expect(cut.text.startsWith('Сводка\nЛенина & Мира <1> ')).toBe(true);
    expect(cut.text).not.toMatch(/&(amp|lt|gt|quot);|<\/?b>/);
  });

  it('should cut plain text to the message limit', () => {
    const cut = clipMessage('я'.repeat(5000), 'plain');
    expect(cut.text.length).toBe(MESSAGE_TEXT_MAX);
    expect(cut.format).toBe('plain');
  });
});
