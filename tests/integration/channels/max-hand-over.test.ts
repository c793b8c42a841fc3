import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaxHandOver } from '../../../src/channels/max/max-hand-over.js';
import type { ButtonPress, InboundMessage } from '../../../src/domain/inbound-message.js';
import type { CursorUpdate } from '../../../src/domain/inbound-sink.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { Db } from '../../../src/store/db.js';
import { freshDb } from '../../helpers/index.js';
import { MAX_HOUSE_CHAT, maxConfig } from './max-fixtures.js';
import { RecordingSink } from './recording-sink.js';
import { silentLogger } from './vk-fixtures.js';

/** The real recording sink, noting each call in order: what it carried and whether a cursor went with it. */
class CallLog extends RecordingSink {
  readonly calls: string[] = [];
  override ingestBatch(messages: readonly InboundMessage[], cursors: readonly CursorUpdate[] = []): void {
    this.calls.push(`messages:${messages.map((m) => m.externalId).join(',')}${cursors.length > 0 ? ' +cursor' : ''}`);
    super.ingestBatch(messages, cursors);
  }
  override press(press: ButtonPress): void {
    this.calls.push(`press:${press.pressId}`);
    super.press(press);
  }
}

const user = { user_id: 700, first_name: 'Ольга', is_bot: false };
const message = (mid: string, chatId = MAX_HOUSE_CHAT) => ({
  update_type: 'message_created',
  timestamp: 1,
  message: { sender: user, recipient: { chat_id: chatId, chat_type: 'chat' }, timestamp: 1, body: { mid, seq: 1, text: 'Нет воды' } },
});
const press = (id: string) => ({
  update_type: 'message_callback',
  timestamp: 1,
  callback: { timestamp: 1, callback_id: id, payload: 'a', user },
  message: message('mid.card').message,
});

let emu: Emulator;
let db: Db;

beforeEach(async () => {
  emu = await Emulator.start();
  db = freshDb();
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('MaxHandOver', () => {
  it('should hand over in update order and commit the batch cursor only with the last messages', () => {
    const sink = new CallLog(db);
    const handOver = new MaxHandOver({ config: maxConfig(emu, { mode: 'longpoll' }), sink, logger: silentLogger, clock: Date.now });
    const outcome = handOver.deliver(
      [message('mid.1'), press('cb.1'), message('mid.2'), { update_type: 'bot_started', timestamp: 1 }, message('mid.3', -999)],
      { key: 'max:marker', value: { marker: 9 } },
    );
    expect(sink.calls).toEqual(['messages:mid.1', 'press:cb.1', 'messages:mid.2 +cursor']);
    expect(outcome).toEqual({ messages: 2, presses: 1, skipped: 2 });
  });

  it('should still move the cursor past a batch with nothing to record', () => {
    const sink = new CallLog(db);
    const handOver = new MaxHandOver({ config: maxConfig(emu, { mode: 'longpoll' }), sink, logger: silentLogger, clock: Date.now });
    handOver.deliver([{ update_type: 'dialog_muted', timestamp: 1 }], { key: 'max:marker', value: { marker: 3 } });
    expect(sink.calls).toEqual(['messages: +cursor']);
    handOver.deliver([press('cb.2')], { key: 'max:marker', value: { marker: 4 } });
    expect(sink.calls.slice(1)).toEqual(['press:cb.2', 'messages: +cursor']);
  });
});
