/**
 * MAX as a channel of the whole app (real client, the emulator on loopback): citizens in a dialog
 * with the bot, a house chat and comments under a channel's post are answered in the same place,
 * by long poll and by webhook; the moderators' chat in MAX gets cards whose buttons work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { createLogger } from '../../../src/logger.js';
import { addMaxWorld, freePort, MAX_CHANNEL, MAX_HOUSE_CHAT, MAX_MODERATORS, maxConfig } from './max-fixtures.js';

const CITIZEN = 800_001;
const NEIGHBOUR = 800_002;
const MODERATOR = 9101;
const COMPLAINT = 'В Зареченске на улице Ленина 5 третий день нет горячей воды. Примите меры!';

let emu: Emulator;
let app: App | null = null;
let postMid: string;

async function start(config: Config): Promise<App> {
  app = await App.create({
    config,
    logger: createLogger({ level: (process.env.MAX_TEST_LOG as 'info' | undefined) ?? 'silent', pretty: false, secrets: [] }),
    processMetrics: false,
  });
  await app.start();
  return app;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  emu = await Emulator.start({ maxWebhookRetry: { retryBaseMs: 20, retryMaxMs: 200 } });
  ({ postMid } = addMaxWorld(emu));
  emu.addMaxUser({ id: CITIZEN, firstName: 'Ольга', lastName: 'Кузнецова' });
  emu.addMaxUser({ id: NEIGHBOUR, firstName: 'Пётр' });
  emu.addMaxUser({ id: MODERATOR, firstName: 'Мария' });
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await emu.close();
});

/** Citizens write in the three places; each gets exactly one reply there, linked to their message. */
async function threePlaces(a: App): Promise<void> {
  const dialog = emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
  const house = emu.sendMaxMessage({
    chatId: MAX_HOUSE_CHAT,
    fromId: NEIGHBOUR,
    text: 'В доме на Ленина 7 в Зареченске не работает лифт неделю, примите меры',
  });
  const comment = emu.addMaxComment({ postMid, fromId: CITIZEN, text: 'На Садовой 3 в Зареченске прорвало трубу, вода заливает подвал!' });
  await until(() => emu.sent().maxMessages.length >= 2 && emu.sent().maxComments.length >= 1, 'the three replies');
  const sent = emu.sent();
  expect(sent.maxMessages.map((m) => [m.chatId, m.replyTo])).toEqual(
    expect.arrayContaining([
      [CITIZEN, dialog],
      [MAX_HOUSE_CHAT, house],
    ]),
  );
  expect(sent.maxMessages.every((m) => /№\d+/.test(m.text))).toBe(true);
  expect(sent.maxComments).toEqual([expect.objectContaining({ chatId: MAX_CHANNEL, postMid, replyTo: comment, text: expect.stringMatching(/№\d+/) })]);
  const rows = a.db.prepare('SELECT channel, external_id AS id, decision FROM messages ORDER BY id').all();
  expect(rows).toEqual(
    expect.arrayContaining([
      { channel: 'max_message', id: dialog, decision: 'incident' },
      { channel: 'max_message', id: house, decision: 'incident' },
      { channel: 'max_comment', id: comment, decision: 'incident' },
    ]),
  );
}

describe('MAX by long poll', () => {
  it('should answer a dialog, a house chat and a channel comment in the same place, once each', async () => {
    const a = await start(maxConfig(emu, { mode: 'longpoll' }));
    await emu.waitForHeldPoll('max');
    await threePlaces(a);
    expect(a.status.get('max:updates')).toMatchObject({ lastError: null, lastSuccessAt: expect.any(Number) });
  });

  it('should read what was written while it was down exactly once, from its stored marker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-max-'));
    try {
      const config = maxConfig(emu, { mode: 'longpoll', overrides: { database: { path: join(dir, 'bot.sqlite') } } });
      const a = await start(config);
      await emu.waitForHeldPoll('max');
      emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
      await until(() => emu.sent().maxMessages.length === 1, 'the first reply');
      await a.stop();
      emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: NEIGHBOUR, text: 'Во дворе дома Ленина 5 в Зареченске неделю не вывозят мусор, примите меры' });
      const b = await start(config);
      await until(() => emu.sent().maxMessages.length === 2, 'the reply written while down');
      await emu.waitForHeldPoll('max');
      expect(b.db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 2 });
      expect(b.stores.cursors.get('max:marker')).toEqual({ marker: expect.any(Number) });
      await b.stop();
      app = null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should remove a webhook subscription before polling, since the two modes never run together', async () => {
    await fetch(`${emu.maxApiBaseUrl}/subscriptions`, {
      method: 'POST',
      headers: { authorization: 'max-test-bot-token', 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
    });
    expect(emu.maxSubscriptions()).toHaveLength(1);
    await start(maxConfig(emu, { mode: 'longpoll' }));
    await emu.waitForHeldPoll('max');
    expect(emu.maxSubscriptions()).toEqual([]);
  });
});

describe('MAX by webhook', () => {
  let port: number;
  let hook: string;
  beforeEach(async () => {
    port = await freePort();
    hook = `http://127.0.0.1:${port}/max/webhook`;
  });

  it('should subscribe at start and answer what the webhook brings in the same place, once each', async () => {
    const a = await start(maxConfig(emu, { mode: 'webhook', port }));
    await until(() => emu.maxSubscriptions().length === 1, 'the subscription');
    expect(emu.maxSubscriptions()).toEqual([{ url: hook, updateTypes: ['message_created', 'comment_created', 'message_callback'] }]);
    await threePlaces(a);
    await until(() => emu.pendingMaxUpdates() === 0, 'every delivery accepted');
    expect(emu.requestLog().filter((e) => e.api === 'max_webhook' && e.outcome === 'ok')).toHaveLength(3);
  });

  it('should refuse bad requests clearly, skip unknown updates, and keep working', async () => {
    const a = await start(maxConfig(emu, { mode: 'webhook', port }));
    await until(() => emu.maxSubscriptions().length === 1, 'the subscription');
    const post = (body: string | Uint8Array, headers: Record<string, string> = { 'x-max-bot-api-secret': 'max-webhook-secret_42' }) =>
      fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const update = JSON.stringify({
      update_type: 'message_created',
      timestamp: Date.now(),
      message: {
        sender: { user_id: 1, first_name: 'X', is_bot: false },
        recipient: { chat_id: 1, chat_type: 'dialog' },
        timestamp: Date.now(),
        body: { mid: 'mid.forged', seq: 1, text: COMPLAINT },
      },
    });
    expect((await post(update, { 'x-max-bot-api-secret': 'max-webhook-secret_43' })).status).toBe(401);
    expect((await post(update, {})).status).toBe(401);
    expect((await post('{"update_type": "message_created", ')).status).toBe(400);
    expect((await post('[1, 2]')).status).toBe(400);
    expect((await post(new Uint8Array(1024 * 1024 + 10).fill(0x20))).status).toBe(413);
    expect((await fetch(hook)).status).toBe(405);
    expect(
      (
        await post(
          JSON.stringify({
            update_type: 'dialog_muted',
            timestamp: Date.now(),
            chat_id: 1,
            user: { user_id: 1, first_name: 'X', is_bot: false },
            muted_until: 1,
          }),
        )
      ).status,
    ).toBe(200);
    expect((await post(JSON.stringify({ update_type: 'message_created', timestamp: 1, message: { body: {} } }))).status).toBe(200);
    // Nothing of that was recorded; the forged-secret message never reached the pipeline.
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
    const metrics = await a.metrics.render();
    expect(metrics).toMatch(/otklik_max_webhook_requests_total\{outcome="wrong_secret"\} 2/);
    expect(metrics).toMatch(/otklik_max_webhook_requests_total\{outcome="too_large"\} 1/);
    // Still working.
    emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
    await until(() => emu.sent().maxMessages.length === 1, 'the reply after the bad requests');
  });

  it('should get an update again after the bot was down and record it once', async () => {
    const a = await start(maxConfig(emu, { mode: 'webhook', port }));
    await until(() => emu.maxSubscriptions().length === 1, 'the subscription');
    await a.stop();
    app = null;
    const mid = emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
    // The port is closed: MAX retries until a 200.
    await until(() => emu.requestLog().filter((e) => e.api === 'max_webhook' && e.outcome === 'error').length >= 2, 'failed deliveries');
    const b = await start(maxConfig(emu, { mode: 'webhook', port }));
    await until(() => emu.sent().maxMessages.length === 1 && emu.pendingMaxUpdates() === 0, 'the reply after the restart');
    expect(b.db.prepare('SELECT external_id AS id FROM messages').all()).toEqual([{ id: mid }]);
  });
});

describe('MAX moderators chat', () => {
  it('should post the card there and carry out a press of its button, answering the press', async () => {
    const config = maxConfig(emu, {
      mode: 'longpoll',
      room: true,
      overrides: { moderators: [{ platform: 'max', id: MODERATOR, name: 'Мария (ЦУР, MAX)', role: 'regional', municipalityId: null }] },
    });
    const a = await start(config);
    await emu.waitForHeldPoll('max');
    emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
    await until(() => emu.sent().maxMessages.some((m) => m.chatId === MAX_MODERATORS), 'the card');
    const card = emu.sent().maxMessages.find((m) => m.chatId === MAX_MODERATORS)!;
    expect(card.buttons).toBeDefined();
    const incident = a.db.prepare('SELECT id, card_message_ref AS ref FROM incidents').get() as { id: number; ref: string };
    await until(() => (a.db.prepare('SELECT card_message_ref AS ref FROM incidents').get() as { ref: string | null }).ref !== null, 'the card ref');
    expect(a.cardMessageRef(incident.id)).toBe(card.mid);
    const press = emu.pressMaxButton({
      mid: card.mid,
      fromId: MODERATOR,
      payload: (card.buttons as { payload: { buttons: { payload: string }[][] } }).payload.buttons[0]![0]!.payload,
    });
    await until(() => emu.sent().maxAnswers.length === 1 && emu.sent().maxEdits.length >= 1, 'the answer and the edit');
    expect(emu.sent().maxAnswers[0]).toMatchObject({ callbackId: press });
    expect((a.db.prepare('SELECT status FROM incidents').get() as { status: string }).status).toBe('accepted');
    // The citizen hears of it in the dialog.
    await until(() => emu.sent().maxMessages.filter((m) => m.chatId === CITIZEN).length === 2, 'the status update');
    // A moderator's command in the MAX moderators' chat works too; an announcement reaches the house chat.
    emu.sendMaxMessage({ chatId: MAX_MODERATORS, fromId: MODERATOR, text: `/show ${incident.id}` });
    await until(() => emu.sent().maxMessages.filter((m) => m.chatId === MAX_MODERATORS).length >= 2, 'the reply to /show');
    emu.sendMaxMessage({ chatId: MAX_MODERATORS, fromId: MODERATOR, text: '/announce все Плановое отключение воды завтра с 10 до 14.' });
    await until(
      () => emu.sent().maxMessages.some((m) => m.chatId === MAX_HOUSE_CHAT && m.text.includes('Плановое отключение')),
      'the announcement in the house chat',
    );
  });
});

describe('MAX dialogs with the bot', () => {
  it("should answer a citizen's status question and give a MAX moderator a console link by /login, in the dialog", async () => {
    const config = maxConfig(emu, {
      mode: 'longpoll',
      overrides: {
        moderators: [{ platform: 'max', id: MODERATOR, name: 'Мария (ЦУР, MAX)', role: 'regional', municipalityId: null }],
        console: { enabled: true, port: 0 },
      },
    });
    const a = await start(config);
    await emu.waitForHeldPoll('max');
    emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: COMPLAINT });
    await until(() => emu.sent().maxMessages.length === 1, 'the acknowledgement');
    const incident = (a.db.prepare('SELECT id FROM incidents').get() as { id: number }).id;
    const question = emu.sendMaxMessage({ chatId: CITIZEN, fromId: CITIZEN, text: `статус ${incident}` });
    await until(() => emu.sent().maxMessages.some((m) => m.replyTo === question), 'the status answer');
    expect(emu.sent().maxMessages.find((m) => m.replyTo === question)!.text).toContain(`№${incident}`);
    const login = emu.sendMaxMessage({ chatId: MODERATOR, fromId: MODERATOR, text: '/login' });
    await until(() => emu.sent().maxMessages.some((m) => m.replyTo === login), 'the sign-in link');
    expect(emu.sent().maxMessages.find((m) => m.replyTo === login)!.text).toMatch(/Ссылка для входа в консоль.*http:\/\/127\.0\.0\.1:\d+\//s);
  });
});
