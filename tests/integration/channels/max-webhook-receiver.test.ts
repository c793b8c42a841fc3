/**
 * The MAX webhook receiver on its own HTTP server, fed by the emulator's pushes: a delivery is
 * answered 200 only once it is committed, so a failure of the database is answered 500 and MAX's
 * retry brings the update again, recorded once.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaxWebhookReceiver, type WebhookOutcome } from '../../../src/channels/max/max-webhook-receiver.js';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import type { CursorUpdate } from '../../../src/domain/inbound-sink.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { Db } from '../../../src/store/db.js';
import { freshDb } from '../../helpers/index.js';
import { addMaxWorld, MAX_HOUSE_CHAT, MAX_SECRET, MAX_TOKEN, maxConfig } from './max-fixtures.js';
import { RecordingSink } from './recording-sink.js';
import { silentLogger } from './vk-fixtures.js';

/** The real recording sink, whose database is unavailable for the first `failures` batches (SQLITE_BUSY, a full disk). */
class FlakySink extends RecordingSink {
  constructor(
    db: Db,
    private failures: number,
  ) {
    super(db);
  }

  override ingestBatch(messages: readonly InboundMessage[], cursors?: readonly CursorUpdate[]): void {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database is locked');
    }
    super.ingestBatch(messages, cursors);
  }
}

let emu: Emulator;
let db: Db;
let server: Server;
let outcomes: WebhookOutcome[];

async function listen(sink: RecordingSink): Promise<string> {
  const receiver = new MaxWebhookReceiver({
    config: maxConfig(emu, { mode: 'webhook' }),
    secret: MAX_SECRET,
    sink,
    logger: silentLogger,
    clock: Date.now,
    onOutcome: (o) => outcomes.push(o),
  });
  server = createServer((req, res) => void receiver.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/max/webhook`;
}

beforeEach(async () => {
  emu = await Emulator.start({ maxWebhookRetry: { retryBaseMs: 10, retryMaxMs: 50 } });
  addMaxWorld(emu);
  db = freshDb();
  outcomes = [];
});

afterEach(async () => {
  server?.close();
  await emu.close();
  db.close();
});

describe('MaxWebhookReceiver', () => {
  it('should answer 500 while the update cannot be committed, and record it once when MAX sends it again', async () => {
    const sink = new FlakySink(db, 2);
    const url = await listen(sink);
    const subscribed = await fetch(`${emu.maxApiBaseUrl}/subscriptions`, {
      method: 'POST',
      headers: { authorization: MAX_TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ url, secret: MAX_SECRET }),
    });
    expect(subscribed.status).toBe(200);
    const mid = emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: 700, text: 'Нет отопления' });
    await sink.waitFor(1);
    expect(sink.recorded.map((m) => m.externalId)).toEqual([mid]);
    expect(outcomes).toEqual(['failed', 'failed', 'accepted']);
    // The emulator learns of the 200 a moment after the receiver committed.
    while (emu.pendingMaxUpdates() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const pushes = emu.requestLog().filter((e) => e.api === 'max_webhook');
    expect(pushes.map((e) => e.errorCode ?? 200)).toEqual([500, 500, 200]);
    expect(emu.pendingMaxUpdates()).toBe(0);
  });

  it('should record a delivery repeated after its 200 was lost only once', async () => {
    const sink = new RecordingSink(db);
    const url = await listen(sink);
    const update = {
      update_type: 'message_created',
      timestamp: Date.now(),
      message: {
        sender: { user_id: 700, first_name: 'Ольга', is_bot: false },
        recipient: { chat_id: MAX_HOUSE_CHAT, chat_type: 'chat' },
        timestamp: Date.now(),
        body: { mid: 'mid.repeat', seq: 1, text: 'Нет отопления' },
      },
    };
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-max-bot-api-secret': MAX_SECRET },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
    }
    expect(sink.recorded.map((m) => m.externalId)).toEqual(['mid.repeat']);
  });
});
