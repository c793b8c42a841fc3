/**
 * Citizens' photos, documents and locations reach the moderators: a Telegram photo goes with the
 * card (as the photo, the card its caption), an album under it, an addition's photo with the note
 * quoting it, a wordless photo to «Проверить»; VK photos and documents are links; a location fills
 * the place. Through the emulator with the real clients.
 */
import { describe, expect, it } from 'vitest';
import { CITY_CHAT, MODERATORS_CHAT, REGIONAL, ZARECHENSK_GROUP, ZARECHENSK_MOD } from '../moderation/world.js';
import { startedWorld } from './started-world.js';

const Z = { municipalityId: 'zarechensk' };

describe('photos, documents and locations reach the moderators', () => {
  const world = startedWorld();

  const row = (sql: string, ...params: unknown[]) =>
    world()
      .app.db.prepare(sql)
      .get(...params) as Record<string, unknown>;
  /** The file id of the largest size of the photo a Telegram message carried, as the bot stored it. */
  const storedPhoto = (chatId: number, messageId: number): string => {
    const media = JSON.parse(
      String(row("SELECT media_json FROM messages WHERE channel = 'telegram' AND external_id = ?", `${chatId}_${messageId}`).media_json),
    ) as { attachments: { fileId: string }[] };
    return media.attachments[0]!.fileId;
  };

  it('should send a Telegram photo with its card as the caption, and edit the caption as the incident changes', async () => {
    const author = 630001;
    const text = world().detector.appeal('Во дворе на Садовой 3 переполнены контейнеры, мусор по всей площадке', 'waste', { ...Z, street: 'Садовая' });
    const sent = await world().telegram(author, author, text, undefined, { photo: { width: 1600, height: 1200 } });
    const incident = world().incidentOf('telegram', `${author}_${sent}`);
    const card = world().card(incident);
    const photo = world()
      .emulator.sent()
      .telegramPhotos.find((p) => p.chatId === MODERATORS_CHAT && p.messageId === card.messageId);
    expect(photo).toMatchObject({ photo: storedPhoto(author, sent), parseMode: 'HTML' });
    expect(photo!.caption).toMatch(new RegExp(`^Обращение №${incident} — новое`));
    expect(photo!.caption).toContain('📷 Фото жителя: 1');
    expect(card.buttons.map((b) => b.text)).toContain('Принять');

    await world().press(incident, ZARECHENSK_MOD, 'Принять');
    const edits = world()
      .emulator.sent()
      .telegramEdits.filter((e) => e.messageId === card.messageId && e.chatId === MODERATORS_CHAT);
    expect(edits.map((e) => e.kind)).toEqual(['caption']);
    expect(edits[0]!.text).toContain('в работе');
  });

  it('should fit a long report into the caption by cutting the quote, keeping the photo with the card', async () => {
    const author = 630002;
    const long = `На Заводской 8 ${'прорвало трубу, вода заливает подвал и подъезд, '.repeat(40)}`.trim();
    const text = world().detector.appeal(long, 'housing', { ...Z, street: 'Заводская' });
    const sent = await world().telegram(author, author, text, undefined, { photo: {} });
    const card = world().card(world().incidentOf('telegram', `${author}_${sent}`));
    const photo = world()
      .emulator.sent()
      .telegramPhotos.find((p) => p.messageId === card.messageId && p.chatId === MODERATORS_CHAT)!;
    expect(photo.caption!.length).toBeLessThanOrEqual(1024);
    expect(photo.caption).toContain('На Заводской 8 прорвало трубу');
    expect(photo.caption).toContain('…');
  });

  it('should gather an album into one incident and send its photos under the card as one album', async () => {
    const author = 630003;
    world().tgUser(author);
    const text = world().detector.appeal('На Советской у школы провал асфальта, машины объезжают по тротуару', 'roads', { ...Z, street: 'Советская' });
    // Three photos of one album, the caption on the first: one getUpdates batch.
    const ids = [
      world().emulator.sendTelegramMessage({ chatId: CITY_CHAT, fromId: author, text, photo: {}, mediaGroupId: 'alb-1' }),
      world().emulator.sendTelegramMessage({ chatId: CITY_CHAT, fromId: author, photo: {}, mediaGroupId: 'alb-1' }),
      world().emulator.sendTelegramMessage({ chatId: CITY_CHAT, fromId: author, photo: {}, mediaGroupId: 'alb-1' }),
    ];
    const decision = (id: number) => row("SELECT decision, incident_id FROM messages WHERE channel = 'telegram' AND external_id = ?", `${CITY_CHAT}_${id}`);
    await world().until(() => ids.every((id) => decision(id) !== undefined), 'the album to be read');
    await world().settled();
    const incident = world().incidentOf('telegram', `${CITY_CHAT}_${ids[0]}`);
    expect(ids.slice(1).map(decision)).toEqual([
      { decision: 'album', incident_id: incident },
      { decision: 'album', incident_id: incident },
    ]);
    expect(row('SELECT COUNT(*) AS n FROM incidents WHERE author_key = ?', `tg:${author}`)).toEqual({ n: 1 });
    // The card is text (three photos make no caption); the album follows it.
    await world().until(
      () =>
        world()
          .emulator.sent()
          .telegramMediaGroups.some((g) => g.replyTo === world().card(incident).messageId),
      'the album under the card',
    );
    const album = world()
      .emulator.sent()
      .telegramMediaGroups.find((g) => g.replyTo === world().card(incident).messageId)!;
    expect(album.media.map((m) => m.media)).toEqual(ids.map((id) => storedPhoto(CITY_CHAT, id)));
    expect(album.media[0]!.caption).toBe(`Фото к обращению №${incident}`);
    // One acknowledgement for the album, no thanks for «additions».
    expect(
      world()
        .telegramReplies(CITY_CHAT)
        .filter((t) => t.includes(`№${incident}`)),
    ).toHaveLength(1);
  });

  it("should send an addition's photo with the note quoting it, after one card edit", async () => {
    const author = 630004;
    const text = world().detector.appeal('На Мира 14 третий день не горит фонарь у подъезда', 'improvement', { ...Z, street: 'Мира' });
    const first = await world().telegram(author, author, text);
    const incident = world().incidentOf('telegram', `${author}_${first}`);
    const ack = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.chatId === author && m.replyTo === first)!;
    const editsBefore = world()
      .emulator.sent()
      .telegramEdits.filter((e) => e.messageId === world().card(incident).messageId).length;
    const photo = await world().telegram(author, author, 'Вот фото, фонарь разбит', ack.messageId, { photo: {} });
    expect(row('SELECT decision FROM messages WHERE external_id = ?', `${author}_${photo}`)).toEqual({ decision: 'followup' });
    const note = world()
      .emulator.sent()
      .telegramPhotos.find((p) => p.chatId === MODERATORS_CHAT && p.replyTo === world().card(incident).messageId);
    expect(note).toMatchObject({ photo: storedPhoto(author, photo), caption: `Дополнение к обращению №${incident}:\n«Вот фото, фонарь разбит»` });
    expect(
      world()
        .emulator.sent()
        .telegramEdits.filter((e) => e.messageId === world().card(incident).messageId),
    ).toHaveLength(editsBefore + 1);
  });

  it('should not take a sticker sent to the bot for an addition', async () => {
    const author = 630010;
    const text = world().detector.appeal('На Ленина 5 в подъезде не работает домофон', 'housing', { ...Z, street: 'Ленина' });
    await world().vkDialog(ZARECHENSK_GROUP, author, text);
    await world().vkDialog(ZARECHENSK_GROUP, author, '', { attachments: [{ type: 'sticker' }] });
    const rows = world().app.db.prepare('SELECT decision FROM messages WHERE author_key = ? ORDER BY id').all(`vk:${author}`);
    expect(rows).toEqual([{ decision: 'incident' }, { decision: 'ignored' }]);
  });

  it('should put VK photos and documents on the card as links, and list them in /show', async () => {
    const author = 630005;
    const text = world().detector.appeal('На Ленина 20 во дворе выросла свалка строительного мусора', 'waste', { ...Z, street: 'Ленина' });
    const comment = await world().comment(ZARECHENSK_GROUP, author, text, undefined, [
      { type: 'photo', width: 2000, height: 1500 },
      { type: 'photo' },
      { type: 'doc', title: 'схема двора.pdf', size: 61_440 },
    ]);
    const incident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${comment}`);
    const card = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.messageId === world().card(incident).messageId && m.chatId === MODERATORS_CHAT)!;
    const stored = JSON.parse(String(row('SELECT media_json FROM messages WHERE external_id = ?', `-${ZARECHENSK_GROUP}_${comment}`).media_json)) as {
      attachments: { kind: string; url: string; width: number | null }[];
    };
    expect(stored.attachments.map((a) => [a.kind, a.width ?? null])).toEqual([
      ['photo', 2000],
      ['photo', 1280],
      ['document', null],
    ]);
    expect(card.text).toContain('📷 фото 1, фото 2');
    expect(card.text).toContain('📎 документ «схема двора.pdf», 60 КБ');
    const links = card.entities.filter((e) => e.type === 'text_link').map((e) => e.url);
    expect(links).toEqual(expect.arrayContaining(stored.attachments.map((a) => a.url)));
    const show = await world().command(REGIONAL, `/show ${incident}`);
    expect(show).toContain(`Фото: ${stored.attachments[0]!.url} ${stored.attachments[1]!.url}`);
    expect(show).toContain(`Вложения: документ «схема двора.pdf», 60 КБ ${stored.attachments[2]!.url}`);
  });

  it("should show the photo of another citizen's report of the same problem in a note under the card", async () => {
    const first = world().detector.appeal('На Садовой 9 прорвало трубу, вода заливает двор', 'housing', { ...Z, street: 'Садовая' });
    const c1 = await world().comment(ZARECHENSK_GROUP, 630011, first);
    const incident = world().incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${c1}`);
    const second = world().detector.appeal('Садовая 9, вода из трубы течёт по двору, вот фото', 'housing', { ...Z, street: 'Садовая' });
    const c2 = await world().comment(ZARECHENSK_GROUP, 630012, second, undefined, [{ type: 'photo' }]);
    expect(row('SELECT decision, incident_id FROM messages WHERE external_id = ?', `-${ZARECHENSK_GROUP}_${c2}`)).toEqual({
      decision: 'linked',
      incident_id: incident,
    });
    const url = (
      JSON.parse(String(row('SELECT media_json FROM messages WHERE external_id = ?', `-${ZARECHENSK_GROUP}_${c2}`).media_json)) as {
        attachments: { url: string }[];
      }
    ).attachments[0]!.url;
    expect(world().telegramReplies(MODERATORS_CHAT, world().card(incident).messageId)).toContain(
      `Дополнение к обращению №${incident}:\n«${second}»\nФото: ${url}`,
    );
  });

  it('should send a wordless photo from someone with no open incident to «Проверить» with the photo', async () => {
    const author = 630006;
    world().tgUser(author);
    const sent = await world().telegram(CITY_CHAT, author, '', undefined, { photo: {} });
    expect(row('SELECT decision, incident_id FROM messages WHERE external_id = ?', `${CITY_CHAT}_${sent}`)).toEqual({ decision: 'review', incident_id: null });
    const note = world()
      .emulator.sent()
      .telegramPhotos.find((p) => p.chatId === MODERATORS_CHAT && p.photo === storedPhoto(CITY_CHAT, sent));
    expect(note?.caption).toMatch(/^Проверить: житель прислал фото без текста\n/);
    expect(world().telegramReplies(CITY_CHAT, sent)).toEqual([]);
    // A VK photo has a public address: the note links it.
    const vk = await world().comment(ZARECHENSK_GROUP, 630007, '', undefined, [{ type: 'photo' }]);
    const url = (
      JSON.parse(String(row('SELECT media_json FROM messages WHERE external_id = ?', `-${ZARECHENSK_GROUP}_${vk}`).media_json)) as {
        attachments: { url: string }[];
      }
    ).attachments[0]!.url;
    expect(
      world()
        .telegramReplies(MODERATORS_CHAT)
        .find((t) => t.startsWith('Проверить: житель прислал фото без текста') && t.includes(url)),
    ).toBeDefined();
    expect(world().vkReplies(ZARECHENSK_GROUP, vk)).toEqual([]);
  });

  it('should fill the place from a location and keep its point: with the report (VK) and sent afterwards (Telegram)', async () => {
    const author = 630008;
    const text = world().detector.appeal('Во дворе открыт люк, ребёнок чуть не упал', 'roads', Z);
    // 150 m from the configured point of Гагарина.
    await world().vkDialog(ZARECHENSK_GROUP, author, text, { geo: { latitude: 56.9063, longitude: 40.4991 } });
    const incident = row('SELECT i.id, i.lat, i.lon, i.place_json, i.place_key FROM incidents i JOIN messages m ON m.id = i.message_id WHERE m.text = ?', text);
    expect(incident).toMatchObject({ lat: 56.9063, lon: 40.4991, place_key: 'street:гагарина' });
    expect(JSON.parse(String(incident.place_json))).toMatchObject({ street: 'Гагарина', settlement: 'Зареченск' });
    const card = world()
      .emulator.sent()
      .telegramMessages.find((m) => m.messageId === world().card(Number(incident.id)).messageId && m.chatId === MODERATORS_CHAT)!;
    expect(card.text).toContain('📍 Геометка: Гагарина, Зареченск · 56.90630, 40.49910');
    expect(card.entities.find((e) => e.type === 'text_link' && e.url?.includes('pt=40.49910,56.90630'))).toBeDefined();

    const citizen = 630009;
    // A private chat names no municipality: the report waits in the regional queue until the point names one.
    const report = world().detector.appeal('Во дворе третий день стоит огромная лужа, не пройти', 'improvement');
    const first = await world().telegram(citizen, citizen, report);
    const second = await world().telegram(citizen, citizen, '', undefined, { location: { latitude: 56.8937, longitude: 40.5079 } });
    const id = world().incidentOf('telegram', `${citizen}_${first}`);
    expect(row('SELECT decision FROM messages WHERE external_id = ?', `${citizen}_${second}`)).toEqual({ decision: 'followup' });
    expect(row('SELECT lat, lon, place_key, municipality_id, department_id FROM incidents WHERE id = ?', id)).toEqual({
      lat: 56.8937,
      lon: 40.5079,
      place_key: 'street:заводская',
      municipality_id: 'zarechensk',
      department_id: 'zar-blago',
    });
    const edits = world()
      .emulator.sent()
      .telegramEdits.filter((e) => e.messageId === world().card(id).messageId);
    expect(edits.at(-1)!.text).toContain('📍 Геометка: Заводская, Зареченск');
    expect(edits.at(-1)!.text).toContain('МО: Городской округ Зареченск');
    expect(edits.at(-1)!.text).toContain('Дополнение жителя');
    expect(edits.at(-1)!.text).toContain('«[геометка]»');
    expect(world().telegramReplies(MODERATORS_CHAT, world().card(id).messageId).at(-1)).toBe(
      `Дополнение к обращению №${id}:\nГеометка: Заводская, Зареченск (56.89370, 40.50790) — https://yandex.ru/maps/?pt=40.50790,56.89370&z=17&l=map`,
    );
  });
});
