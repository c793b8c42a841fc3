import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaxClient } from '../../../src/channels/max/max-client.js';
import { MaxSender } from '../../../src/channels/max/max-sender.js';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { TelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { createVkCommunityApis, createVkReaderApi } from '../../../src/channels/vk/vk-client.js';
import { VkSender } from '../../../src/channels/vk/vk-sender.js';
import type { Config } from '../../../src/config.js';
import type { OutboundMessage } from '../../../src/domain/outbound.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { FaultSpec } from '../../../src/emulator/faults.js';
import type { Sender } from '../../../src/outbox/sender.js';
import { addMaxWorld, MAX_HOUSE_CHAT, MAX_TOKEN } from './max-fixtures.js';
import { addCommunities, emulatorConfig, silentLogger, TELEGRAM_TOKEN, USER_TOKEN } from './vk-fixtures.js';

/** What the contract needs from one adapter, set up on a fresh emulator. */
interface SenderFixture {
  sender(config: Config): Sender;
  /** A message that can be delivered. */
  good: OutboundMessage;
  /** A message to a place that does not exist. */
  missing: OutboundMessage;
  /** What the platform's id of a delivered message looks like. */
  externalId?: RegExp;
  /** The config with the adapter's token replaced by one the platform refuses. */
  revoked(config: Config): Config;
  fault(kind: FaultSpec['kind']): FaultSpec;
}

type Adapter = { name: string; setup(emu: Emulator): SenderFixture };

const adapters: Adapter[] = [
  {
    name: 'VkSender',
    setup(emu) {
      const [group] = addCommunities(emu, 1) as [number];
      const post = emu.addPost(group, { text: 'Пост' });
      const comment = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Нет отопления' });
      return {
        sender: (config) => new VkSender({ config, logger: silentLogger, communityApis: createVkCommunityApis(config), readerApi: createVkReaderApi(config) }),
        good: { destination: { kind: 'vk_comment', groupId: group, postId: post, replyToCommentId: comment }, text: 'Ответ', format: 'plain' },
        missing: { destination: { kind: 'vk_comment', groupId: group, postId: 999_999, replyToCommentId: comment }, text: 'Ответ', format: 'plain' },
        revoked: (config) => ({ ...config, secrets: { ...config.secrets, vkCommunityTokens: new Map([[group, 'revoked']]) } }),
        fault: (kind) => ({ api: 'vk', method: 'wall.createComment', kind }),
      };
    },
  },
  {
    name: 'TelegramSender',
    setup(emu) {
      emu.addTgUser({ id: 700, firstName: 'Ольга' });
      emu.addChat({ id: 700, type: 'private' });
      return {
        sender: (config) => new TelegramSender({ client: new TelegramClient(config, config.secrets.telegramToken ?? '') }),
        good: { destination: { kind: 'telegram', chatId: 700, replyToMessageId: 12345 }, text: '<b>Ответ</b>', format: 'html' },
        missing: { destination: { kind: 'telegram', chatId: -100999 }, text: 'Ответ', format: 'plain' },
        revoked: (config) => ({ ...config, secrets: { ...config.secrets, telegramToken: '999:revoked' } }),
        fault: (kind) => ({ api: 'telegram', method: 'sendMessage', kind }),
      };
    },
  },
  {
    name: 'MaxSender',
    setup(emu) {
      addMaxWorld(emu);
      const mid = emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: 700, text: 'Нет отопления' });
      const client = (config: Config) =>
        new MaxClient({ baseUrl: emu.maxApiBaseUrl, token: config.secrets.maxToken ?? MAX_TOKEN, requestTimeoutMs: 300, sendTimeoutMs: 300 });
      return {
        sender: (config) => new MaxSender({ client: client(config), logger: silentLogger }),
        good: {
          destination: { kind: 'max_message', chatId: MAX_HOUSE_CHAT, replyToMid: mid },
          text: '<b>Ответ</b>',
          format: 'html',
          buttons: [[{ text: 'Принять', data: 'a:1' }]],
        },
        missing: { destination: { kind: 'max_message', chatId: -1 }, text: 'Ответ', format: 'plain' },
        externalId: /^mid\.[0-9a-f]+$/,
        revoked: (config) => ({ ...config, secrets: { ...config.secrets, maxToken: 'revoked' } }),
        fault: (kind) => ({ api: 'max', method: 'sendMessage', kind }),
      };
    },
  },
];

async function failure(sender: Sender, message: OutboundMessage): Promise<unknown> {
  try {
    await sender.send(message, 'contract:1');
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

describe.each(adapters)('Sender contract: $name', ({ setup }) => {
  let emu: Emulator;
  let fixture: SenderFixture;
  let config: Config;

  beforeEach(async () => {
    emu = await Emulator.start();
    emu.addUserToken({ token: USER_TOKEN });
    emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
    fixture = setup(emu);
    // Community 1001 is the one addCommunities creates first; the Telegram fixture ignores it.
    config = emulatorConfig(emu, [1001], {
      overrides: {
        vk: { apiBaseUrl: emu.vkApiBaseUrl, requestTimeoutMs: 300, communities: [{ groupId: 1001, name: 'Г' }] },
        telegram: { apiRoot: emu.telegramApiRoot, requestTimeoutMs: 300, sendTimeoutMs: 300 },
      },
    });
  });

  afterEach(async () => {
    await emu.close();
  });

  it('should return the platform id of what it delivered', async () => {
    const { externalId } = await fixture.sender(config).send(fixture.good, 'contract:1');
    expect(externalId).toMatch(fixture.externalId ?? /^-?\d+(_\d+)?$/);
  });

  it('should throw only our error taxonomy and classify a missing destination as reject', async () => {
    const sender = fixture.sender(config);
    const error = await failure(sender, fixture.missing);
    expect((error as Error).name).toMatch(/^(ApiError|HttpError)$/);
    expect(sender.classify(error)).toEqual({ kind: 'reject' });
  });

  it('should classify a refused token as fatal', async () => {
    const sender = fixture.sender(fixture.revoked(config));
    expect(sender.classify(await failure(sender, fixture.good))).toEqual({ kind: 'fatal' });
  });

  it('should classify a 502 and a timeout as retry', async () => {
    const sender = fixture.sender(config);
    emu.injectFault(fixture.fault({ httpStatus: 502 }));
    expect(sender.classify(await failure(sender, fixture.good))).toEqual({ kind: 'retry' });
    emu.injectFault(fixture.fault({ httpStatus: 503 }));
    expect(sender.classify(await failure(sender, fixture.good))).toMatchObject({ kind: 'retry' });
    emu.injectFault(fixture.fault({ delayMs: 600 }));
    // A timed-out Telegram send may have arrived (no idempotency key): retried, but flagged so the outbox waits.
    expect(sender.classify(await failure(sender, fixture.good))).toMatchObject({ kind: 'retry' });
  });
});

describe('TelegramSender with HTML Telegram refuses', () => {
  let emu: Emulator;
  let config: Config;

  beforeEach(async () => {
    emu = await Emulator.start();
    emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
    emu.addTgUser({ id: 700, firstName: 'Ольга' });
    emu.addChat({ id: 700, type: 'private' });
    config = emulatorConfig(emu, [], { overrides: { telegram: { apiRoot: emu.telegramApiRoot, requestTimeoutMs: 1000 } } });
  });

  afterEach(async () => {
    await emu.close();
  });

  it('should send the words once as plain text when a template makes the HTML invalid, and say so', async () => {
    const refused: string[] = [];
    const sender = new TelegramSender({ client: new TelegramClient(config, TELEGRAM_TOKEN), onHtmlRefused: (description) => refused.push(description) });
    // An operator's template «<b>Срок < 2 ч</b>» with an escaped value: the bare «<» breaks the markup.
    await sender.send(
      { destination: { kind: 'telegram', chatId: 700 }, text: '<b>Срок < 2 ч</b> по обращению «Лифт &amp; домофон»', format: 'html' },
      'html:1',
    );
    const sent = emu.sent().telegramMessages;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ text: 'Срок < 2 ч по обращению «Лифт & домофон»' });
    expect(sent[0]!.parseMode).toBeUndefined();
    expect(refused).toEqual([expect.stringContaining("can't parse entities")]);
  });

  it('should not retry a refusal that is not about the markup', async () => {
    const sender = new TelegramSender({ client: new TelegramClient(config, TELEGRAM_TOKEN), onHtmlRefused: () => expect.fail('not a markup refusal') });
    const error = await failure(sender, { destination: { kind: 'telegram', chatId: -100999 }, text: '<b>Ответ</b>', format: 'html' });
    expect(sender.classify(error)).toEqual({ kind: 'reject' });
    expect(emu.sent().telegramMessages).toHaveLength(0);
  });
});

describe('MaxSender after a send that was never recorded', () => {
  let emu: Emulator;

  beforeEach(async () => {
    emu = await Emulator.start();
  });

  afterEach(async () => {
    await emu.close();
  });

  it('should find the message that arrived and not send it again, and send one that did not arrive', async () => {
    addMaxWorld(emu);
    const mid = emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: 700, text: 'Нет отопления' });
    const sender = new MaxSender({ client: new MaxClient({ baseUrl: emu.maxApiBaseUrl, token: MAX_TOKEN }), logger: silentLogger });
    const reply: OutboundMessage = {
      destination: { kind: 'max_message', chatId: MAX_HOUSE_CHAT, replyToMid: mid },
      text: '<b>Обращение №7</b> зарегистрировано',
      format: 'html',
    };
    const started = Date.now();
    // The first attempt reached MAX; the process died before recording it.
    const first = await sender.send(reply, 'ack:7', { previousAttemptAt: null });
    const again = await sender.send(reply, 'ack:7', { previousAttemptAt: started });
    expect(again.externalId).toBe(first.externalId);
    expect(emu.sent().maxMessages).toHaveLength(1);
    // Another text (never sent) is sent on its retry.
    const other = await sender.send({ ...reply, text: 'Обращение №8 зарегистрировано', format: 'plain' }, 'ack:8', { previousAttemptAt: started });
    expect(other.externalId).not.toBe(first.externalId);
    expect(emu.sent().maxMessages).toHaveLength(2);
  });

  it('should read the chat back page by page to find it under the messages written since', async () => {
    await emu.close();
    let now = Date.now();
    emu = await Emulator.start({ clock: () => (now += 1) });
    addMaxWorld(emu);
    const mid = emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: 700, text: 'Нет отопления' });
    const sender = new MaxSender({ client: new MaxClient({ baseUrl: emu.maxApiBaseUrl, token: MAX_TOKEN }), logger: silentLogger });
    const reply: OutboundMessage = {
      destination: { kind: 'max_message', chatId: MAX_HOUSE_CHAT, replyToMid: mid },
      text: 'Обращение №9 зарегистрировано',
      format: 'plain',
    };
    const first = await sender.send(reply, 'ack:9', { previousAttemptAt: null });
    for (let i = 0; i < 250; i += 1) emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: 800 + i, text: `сообщение ${i}` });
    const again = await sender.send(reply, 'ack:9', { previousAttemptAt: Date.now() });
    expect(again.externalId).toBe(first.externalId);
    expect(emu.sent().maxMessages).toHaveLength(1);
    expect(emu.countRequests({ api: 'max', method: 'getMessages' })).toBe(3);
  });
});
