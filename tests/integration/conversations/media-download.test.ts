/**
 * With `media.download` on, citizens' files are fetched through the emulator into a directory with
 * a size cap (Telegram through getFile, VK from allowed hosts), each once; retention deletes them
 * with the rest of the citizen's data. Off by default: nothing is fetched (the other media tests).
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CHAT, REGIONAL, World, ZARECHENSK_GROUP } from '../moderation/world.js';

const DAY = 86_400_000;
const Z = { municipalityId: 'zarechensk' };

describe("downloading citizens' files (media.download)", () => {
  let world: World;
  let dir: string;
  let offset = 0;
  const clock = () => Date.now() + offset;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otklik-media-'));
    world = await World.start({
      clock,
      local: {
        media: { download: true, dir, allowedHosts: ['127.0.0.1'], maxFileBytes: 300_000, maxTotalBytes: 350_000 },
        // The test runs the jobs itself.
        schedules: { media: '0 0 1 1 *', retention: '0 0 1 1 *' },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  const files = () =>
    world.app.db.prepare('SELECT message_id, position, source, state, path, bytes, reason FROM media_files ORDER BY id').all() as Record<string, unknown>[];
  const fetch = () => world.app.jobs.scheduler.runNow('media');

  it('should fetch the files of reports and reviews once, skip what is too big or over the cap, and fetch nothing else', async () => {
    const telegram = 640001;
    const report = world.detector.appeal('На Победы 3 течёт крыша, вода в подъезде', 'housing', { ...Z, street: 'Победы' });
    await world.telegram(telegram, telegram, report, undefined, { photo: { size: 120_000 } });
    const vkReport = world.detector.appeal('На Ленина 40 разбит тротуар, плитка торчит', 'roads', { ...Z, street: 'Ленина' });
    const comment = await world.comment(ZARECHENSK_GROUP, 640002, vkReport, undefined, [
      { type: 'photo', size: 150_000 },
      { type: 'doc', title: 'видео.pdf', size: 400_000 },
    ]);
    // Chatter with a photo is nobody's case: not fetched.
    world.tgUser(640003);
    await world.telegram(CITY_CHAT, 640003, 'Смотрите, какой закат сегодня', undefined, { photo: { size: 10_000 } });
    await world.telegram(CITY_CHAT, 640004, '', undefined, { photo: { size: 50_000 } });

    world.emulator.resetRequestLog();
    await fetch();
    const rows = files();
    expect(rows.map((r) => [r.state, r.bytes])).toEqual([
      ['fetched', 120_000],
      ['fetched', 150_000],
      ['skipped', null],
      ['fetched', 50_000],
    ]);
    expect(rows[2]!.reason).toMatch(/over media\.maxFileBytes/);
    // The big document was never requested; the Telegram files went through getFile.
    expect(world.emulator.countRequests({ api: 'vk', method: 'file' })).toBe(1);
    expect(world.emulator.countRequests({ api: 'telegram', method: 'getFile' })).toBe(2);
    for (const row of rows.filter((r) => r.state === 'fetched')) expect(statSync(join(dir, String(row.path))).size).toBe(row.bytes);
    expect(readdirSync(dir).some((name) => name.endsWith('.part'))).toBe(false);

    // The directory is at 320 000 of 350 000 bytes: the next photo does not fit.
    const more = world.detector.appeal('На Ленина 42 тоже разбит тротуар', 'roads', { ...Z, street: 'Ленина' });
    await world.comment(ZARECHENSK_GROUP, 640005, more, undefined, [{ type: 'photo', size: 100_000 }]);
    await fetch();
    expect(files().at(-1)).toMatchObject({ state: 'skipped', reason: 'media.maxTotalBytes reached' });
    // A second run fetches nothing twice.
    world.emulator.resetRequestLog();
    await fetch();
    expect(world.emulator.countRequests()).toBe(0);
    expect(comment).toBeGreaterThan(0);
  });

  it('should not fetch from a host outside media.allowedHosts', async () => {
    const message = (world.app.db.prepare('SELECT MAX(id) AS id FROM messages').get() as { id: number }).id;
    world.app.stores.mediaFiles.queue(message, [{ position: 9, source: 'https://files.example.org/photo.jpg', sizeHint: null }], clock());
    await fetch();
    expect(world.app.stores.mediaFiles.get(message, 9)).toMatchObject({ state: 'skipped' });
    expect(files().at(-1)!.reason).toBe('host files.example.org is not in media.allowedHosts');
  });

  it("should delete the files with the citizen's data: a review's after nonAppealDays, a closed incident's after closedIncidentDays", async () => {
    const fetched = files().filter((r) => r.state === 'fetched');
    const paths = fetched.map((r) => join(dir, String(r.path)));
    expect(paths.every((p) => existsSync(p))).toBe(true);
    const vkIncident = world.incidentOf(
      'vk_comment',
      String((world.app.db.prepare("SELECT external_id FROM messages WHERE text LIKE 'На Ленина 40%'").get() as { external_id: string }).external_id),
    );
    await world.command(REGIONAL, `/answer ${vkIncident} Тротуар отремонтируют.`);
    await world.command(REGIONAL, `/close ${vkIncident}`);

    offset = 31 * DAY;
    await world.app.jobs.scheduler.runNow('retention');
    // The wordless photo (a «Проверить» note, no incident) is gone; the reports' files stay.
    expect(paths.map((p) => existsSync(p))).toEqual([true, true, false]);

    offset = 400 * DAY;
    await world.app.jobs.scheduler.runNow('retention');
    expect(paths.map((p) => existsSync(p))).toEqual([true, false, false]);
    const row = world.app.db.prepare('SELECT m.media_json FROM messages m JOIN incidents i ON i.message_id = m.id WHERE i.id = ?').get(vkIncident);
    expect(row).toEqual({ media_json: null });
    // Only the open Telegram report keeps its file; every other row (the skipped ones of those messages too) keeps nothing of the citizen's.
    expect(files().map((r) => [r.state, r.source === '', r.path === null])).toEqual([
      ['fetched', false, false],
      ...Array.from({ length: 5 }, () => ['deleted', true, true]),
    ]);
    const cards = world.app.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE incident_id = ? AND media_json IS NOT NULL').get(vkIncident);
    expect(cards).toEqual({ n: 0 });
  });
});
