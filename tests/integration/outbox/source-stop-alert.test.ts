import { describe, expect, it } from 'vitest';
import { enqueueSourceStopAlert } from '../../../src/outbox/source-stop-alert.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock, testConfig } from '../../helpers/index.js';

describe('enqueueSourceStopAlert', () => {
  it('should tell the moderators once a day which source stopped, in the shipped words', () => {
    const db = freshDb();
    const outbox = createStores(db).outbox;
    const config = testConfig();
    const clock = new ManualClock();
    expect(enqueueSourceStopAlert({ config, outbox }, 'vk:lp:210002', 'Community token <revoked>', clock.now())).toBe(true);
    expect(enqueueSourceStopAlert({ config, outbox }, 'vk:lp:210002', 'again', clock.now())).toBe(false);
    expect(enqueueSourceStopAlert({ config, outbox }, 'telegram:updates', 'refused', clock.now())).toBe(false);
    const alert = outbox.findByKey('telegram', `alert:fatal:vk:lp:210002:${new Date(clock.now()).toISOString().slice(0, 10)}`)!;
    expect(alert.message).toMatchObject({
      destination: { kind: 'telegram', chatId: config.telegram.moderatorsChatId },
      format: 'plain',
      text: '⚠️ Остановлено: сообщения сообщества VK 210002 (токен сообщества) — VK отклонил токен (Community token <revoked>). Новые сообщения этого канала не читаются; замените токен и перезапустите бота.',
    });
    db.close();
  });

  it('should word the alert from templates.ru.alert_source_stopped', () => {
    const db = freshDb();
    const outbox = createStores(db).outbox;
    const config = testConfig({ templates: { ru: { alert_source_stopped: 'Стоп: {channel}. Причина: {reason}' } } });
    enqueueSourceStopAlert({ config, outbox }, 'vk:wall', 'invalid access_token', Date.UTC(2026, 10, 23));
    expect(outbox.findByKey('telegram', 'alert:fatal:vk:wall:2026-11-23')!.message.text).toBe(
      'Стоп: чтение комментариев VK (токен чтения стен). Причина: invalid access_token',
    );
    db.close();
  });

  it('should name the stopped channel by the alert_channel_* templates', () => {
    const db = freshDb();
    const outbox = createStores(db).outbox;
    const config = testConfig({ templates: { ru: { alert_channel_vk_lp: 'бот сообщества {group}' } } });
    enqueueSourceStopAlert({ config, outbox }, 'vk:lp:210003', 'revoked', Date.UTC(2026, 10, 23));
    expect(outbox.findByKey('telegram', 'alert:fatal:vk:lp:210003:2026-11-23')!.message.text).toContain(
      'Остановлено: бот сообщества 210003 — VK отклонил токен (revoked)',
    );
    db.close();
  });
});
