import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import { decodeCardData, encodeCardData, renderCard } from '../../../src/moderation/incident-card.js';
import { testConfig } from '../../helpers/index.js';

const incident: Incident = {
  id: 42,
  messageId: 1,
  channel: 'vk_comment',
  thread: { channel: 'vk_comment', groupId: 210002, postId: 7, commentId: 99, threadCommentId: 99 },
  threadKey: 'vk:-210002_7',
  authorKey: 'vk:5',
  authorName: 'Иван <script>',
  text: 'Яма <b>огромная</b> на Ленина',
  kind: 'complaint',
  topic: 'roads',
  problem: null,
  urgency: 'emergency',
  place: null,
  location: null,
  reasons: ['яма', 'жалоба'],
  score: 0.9,
  municipalityId: 'zarechensk',
  departmentId: 'zar-roads',
  status: 'new',
  createdAt: 0,
  acknowledgedAt: null,
  acceptedAt: null,
  answeredAt: null,
  closedAt: null,
  updatedAt: 0,
  acceptDueAt: null,
  answerDueAt: null,
};

describe('incident card', () => {
  it("should cut a very long citizen text without splitting an emoji, within Telegram's limit", () => {
    const long = { ...incident, text: `${'а'.repeat(1498)}😊${'&'.repeat(15_000)}` };
    const { text } = renderCard(long, testConfig(), { reporters: 1, lastNote: 'принято в работу — Олег Зареченский' });
    expect(text.isWellFormed()).toBe(true);
    expect(text).toContain(`«${'а'.repeat(1498)}…»`);
    const visible = text.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot);/g, '_');
    expect(visible.length).toBeLessThanOrEqual(4096);
  });

  it('should show number, topic, urgency, municipality, department, escaped text, reasons and link', () => {
    const { text } = renderCard(incident, testConfig(), { reporters: 1 });
    expect(text).toContain('<b>Обращение №42</b> — новое');
    expect(text).toContain('Тема: дороги · <b>СРОЧНО</b>');
    expect(text).toContain('Городской округ Зареченск');
    expect(text).toContain('Управление дорожного хозяйства Зареченска (zar-roads)');
    expect(text).toContain('«Яма &lt;b&gt;огромная&lt;/b&gt; на Ленина»');
    expect(text).toContain('Иван &lt;script&gt;');
    expect(text).toContain('Почему: яма, жалоба');
    expect(text).toContain('href="https://vk.com/wall-210002_7?reply=99"');
  });

  it("should carry the five buttons on a new card and fit Telegram's 64-byte callback data", () => {
    const { buttons } = renderCard(incident, testConfig(), { reporters: 1 });
    expect(buttons.flat().map((b) => b.text)).toEqual(['Принять', 'Уточнить', 'Ответить', 'Отклонить', 'Назначить', 'Изменить тему']);
    for (const b of buttons.flat()) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);
    expect(
      renderCard({ ...incident, status: 'closed' }, testConfig(), { reporters: 1 })
        .buttons.flat()
        .map((b) => b.text),
    ).toEqual(['Открыть повторно']);
  });

  it('should word the card and its buttons from the card_* templates, escaping the values and keeping the template markup', () => {
    const config = testConfig({
      templates: { ru: { card_title: '<u>№{number}</u>: {status}', card_source_author: '{author} ({channel})', card_button_accept: 'В работу' } },
    });
    const { text, buttons } = renderCard(incident, config, { reporters: 1, lastNote: 'a <b>' });
    expect(text.split('\n')[0]).toBe('<u>№42</u>: новое');
    expect(text).toContain('Иван &lt;script&gt; (VK, комментарии)');
    expect(text.split('\n').at(-1)).toBe('Последнее действие: a &lt;b&gt;');
    expect(buttons[0]![0]!.text).toBe('В работу');
  });

  it('should decode only data it wrote', () => {
    expect(decodeCardData(encodeCardData('accept', 42, 'needs_info'))).toEqual({ action: 'accept', incidentId: 42, shownStatus: 'needs_info' });
    for (const data of [
      '',
      'inc:accept:42',
      'inc:drop:42:new',
      'inc:accept:42:gone',
      'inc:accept:0:new',
      'inc:accept:-1:new',
      'inc:accept:4 2:new',
      'x'.repeat(64),
    ]) {
      expect(decodeCardData(data), data).toBeNull();
    }
  });
});
