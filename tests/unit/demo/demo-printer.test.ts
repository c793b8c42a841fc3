import { describe, expect, it } from 'vitest';
import { DemoPrinter } from '../../../src/demo/demo-printer.js';
import type { OutboxPurpose } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { jobsDb, msk, seedIncident, seedMessage } from '../../integration/jobs/seed.js';

function printer(): { printer: DemoPrinter; lines: () => string[] } {
  let out = '';
  const stream = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
  return { printer: new DemoPrinter(stream), lines: () => out.split('\n').filter(Boolean) };
}

const PURPOSES: Record<OutboxPurpose, string> = {
  ack: 'ответ гражданину',
  status: 'статус гражданину',
  card: 'карточка модераторам',
  review: 'на проверку модераторам',
  reminder: 'напоминание о сроке',
  alert: 'оповещение модераторам',
  digest: 'сводка модераторам',
  announce: 'объявление',
  reply: 'ответ на команду',
  callback: 'ответ на кнопку',
  burst: 'сводка всплеска модераторам',
  notice: 'уведомление модератору',
};

describe('the demo printer', () => {
  it('should name every purpose of a sent message in Russian', () => {
    const { printer: p, lines } = printer();
    for (const purpose of Object.keys(PURPOSES)) p.delivered(purpose, { kind: 'telegram', chatId: 1 }, 'Текст');
    expect(lines().filter((l) => l.startsWith('   →'))).toEqual(Object.values(PURPOSES).map((label) => expect.stringContaining(`[${label} · Telegram]`)));
  });

  it('should sum up with Russian names, never raw ids', () => {
    const db = jobsDb();
    const at = msk('2026-11-23T12:00:00');
    seedIncident(db, { createdAt: at, topic: 'housing' });
    seedMessage(db, { receivedAt: at, decision: 'ignored', text: 'Спасибо' });
    createStores(db).outbox.enqueue(
      { idempotencyKey: 'a', message: { destination: { kind: 'telegram', chatId: 1 }, text: 'x', format: 'plain' }, purpose: 'status' },
      at,
    );
    db.prepare("UPDATE outbox SET state = 'sent'").run();
    const { printer: p, lines } = printer();
    p.summary(createStores(db).stats, '/tmp/demo.sqlite');
    expect(lines().slice(1, 5)).toEqual([
      '  Сообщений получено: 2 (новое обращение 1, не обращение 1)',
      '  Обращений создано: 1; по темам: ЖКХ 1',
      '  Статусы: новое 1',
      '  Отправлено ботом: 1 (статус гражданину 1); не доставлено: 0',
    ]);
  });
});
