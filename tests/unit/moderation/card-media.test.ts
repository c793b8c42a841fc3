import { describe, expect, it } from 'vitest';
import { mediaLines, noteWithMedia } from '../../../src/media-texts.js';
import { fitCaption } from '../../../src/moderation/card-media.js';
import { testConfig } from '../../helpers/index.js';

const config = testConfig();

describe('the media part of cards and notes', () => {
  it('should fit a card into a caption by quoting less, and give up below the shortest quote', () => {
    const words = 'вода '.repeat(400);
    const render = (limit = 1500) => ({ text: `<b>Обращение №1</b>\n«${words.slice(0, limit)}»\n${'x'.repeat(100)}`, buttons: [] });
    const fitted = fitCaption(render)!;
    expect(fitted.text.replace(/<[^>]+>/g, '').length).toBeLessThanOrEqual(1024);
    expect(fitted.text.replace(/<[^>]+>/g, '').length).toBeGreaterThan(1000);
    expect(fitCaption(() => ({ text: 'y'.repeat(1100), buttons: [] }))).toBeNull();
    expect(fitCaption(() => ({ text: 'коротко', buttons: [] }))).toEqual({ text: 'коротко', buttons: [] });
  });

  it('should link VK photos and documents on the card, count Telegram photos and link the location to a map', () => {
    const lines = mediaLines(
      {
        attachments: [
          { kind: 'photo', url: 'https://sun9.userapi.com/a.jpg?x=1&y=2', width: 1, height: 1, size: null },
          { kind: 'photo', fileId: 'AgAC1', width: 1, height: 1, size: null },
          { kind: 'document', url: 'https://vk.com/doc1_2', name: 'акт <1>.pdf', mime: null, size: 2048 },
          { kind: 'voice', fileId: 'AwAC', mime: null, size: null, duration: 75 },
          { kind: 'sticker', emoji: '👍' },
        ],
        location: { lat: 56.9, lon: 40.5 },
      },
      config,
      { format: 'html', telegramPhotos: 'attached', place: { street: 'Ленина', house: '3', settlement: 'Зареченск' } },
    );
    expect(lines).toEqual([
      '📷 <a href="https://sun9.userapi.com/a.jpg?x=1&amp;y=2">фото 1</a>',
      '📷 Фото жителя: 1',
      '📎 <a href="https://vk.com/doc1_2">документ «акт &lt;1&gt;.pdf»</a>, 2 КБ; голосовое сообщение, 1:15',
      '📍 Геометка: Ленина 3, Зареченск · <a href="https://yandex.ru/maps/?pt=40.50000,56.90000&amp;z=17&amp;l=map">56.90000, 40.50000</a>',
    ]);
  });

  it('should carry Telegram photos with a note, its text cut to a caption, and nothing without them', () => {
    const note = noteWithMedia(
      'Дополнение: '.concat('я'.repeat(2000)),
      { attachments: [{ kind: 'photo', fileId: 'AgAC9', width: 1, height: 1, size: null }], location: null },
      config,
    );
    expect(note.media).toEqual([{ kind: 'photo', fileId: 'AgAC9' }]);
    expect(note.text.length).toBe(1024);
    expect(noteWithMedia('Дополнение', { attachments: [], location: null }, config)).toEqual({ text: 'Дополнение' });
    const many = noteWithMedia(
      'x',
      {
        attachments: Array.from({ length: 14 }, (_, i) => ({ kind: 'photo' as const, fileId: `f${i}`, width: null, height: null, size: null })),
        location: null,
      },
      config,
    );
    expect(many.media).toHaveLength(10);
  });
});
