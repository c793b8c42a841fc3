import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { MAX_UPDATES_CHANNEL } from '../../domain/channel-id.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import type { ApiError, FailureClass, HttpError } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import type { ChannelStatus } from '../channel-status.js';
import { type PolledSource, runSource } from '../source-runner.js';
import type { MaxClient } from './max-client.js';
import { classifyMaxError, MalformedMaxResponseError, wrapMaxError } from './max-errors.js';
import { type HandOverOutcome, MaxHandOver } from './max-hand-over.js';
import { MAX_UPDATE_TYPES } from './max-normalise.js';

export interface MaxSourceDeps {
  config: Config;
  /** Where the long poll keeps its marker (`stores.cursors`). */
  cursors: CursorStore;
  logger: Logger;
  clock: () => number;
  client: MaxClient;
  sink: InboundSink;
  status?: ChannelStatus;
  /** Told the bot's user id once GET /me answers, so ingest skips the bot's own messages. */
  onBotIdentity?: (botId: number) => void;
}

export const MAX_MARKER_KEY = 'max:marker';

/**
 * MAX updates by long polling (`max.mode` longpoll: development, the demo, a setup without a
 * public address), run by the shared source runner.
 * - Before the first poll: GET /me (the bot's id) and the removal of any webhook subscription,
 *   since MAX delivers nothing by long poll while one exists (the two modes never run together).
 * - GET /updates with the stored `marker`, held up to `max.pollTimeoutSeconds`; the new marker is
 *   stored under `max:marker` in the same transaction as the messages it covers. MAX counts the
 *   updates before a marker as read only once that marker is passed, so a crash before the commit
 *   gets the same updates again, and they dedupe by mid / callback_id.
 * - Never stops on an error but a refused token (401): classify, back off, go on.
 */
export class MaxLongPollSource implements PolledSource {
  readonly channel = MAX_UPDATES_CHANNEL;
  readonly label = 'MAX long poll';
  readonly fatalHint = 'the bot token was refused; fix MAX_BOT_TOKEN and restart';
  private readonly handOver: MaxHandOver;
  private ready = false;
  /** The bot's user id, known after the first GET /me that answered one. */
  botId: number | null = null;

  constructor(private readonly deps: MaxSourceDeps) {
    this.handOver = new MaxHandOver(deps);
  }

  run(signal: AbortSignal): Promise<void> {
    return runSource(this, signal, { logger: this.deps.logger, ...(this.deps.status ? { status: this.deps.status } : {}) });
  }

  async round(signal: AbortSignal): Promise<void> {
    if (!this.ready) await this.prepare(signal);
    await this.pollOnce(signal);
  }

  classify(error: unknown): { error: ApiError | HttpError; failure: FailureClass } {
    const wrapped = wrapMaxError('getUpdates', error);
    return { error: wrapped, failure: classifyMaxError(wrapped) };
  }

  private async prepare(signal: AbortSignal): Promise<void> {
    const { client, logger } = this.deps;
    this.botId = await learnMaxIdentity(client, signal, this.deps.onBotIdentity);
    const listed = await client.call<{ subscriptions?: { url?: unknown }[] }>('getSubscriptions', 'GET', '/subscriptions', { signal });
    for (const subscription of listed.subscriptions ?? []) {
      if (typeof subscription.url !== 'string') continue;
      logger.warn({ url: subscription.url }, 'MAX long poll: removing a webhook subscription (the two modes never run together)');
      await client.call('unsubscribe', 'DELETE', '/subscriptions', { query: { url: subscription.url }, signal });
    }
    this.ready = true;
  }

  /** One GET /updates and the hand-over of what it brought. Throws ApiError / HttpError. */
  async pollOnce(signal?: AbortSignal): Promise<HandOverOutcome> {
    const { config, client, cursors } = this.deps;
    const stored = cursors.get<{ marker: number }>(MAX_MARKER_KEY);
    const timeout = config.max.pollTimeoutSeconds;
    const answer = await client.call<{ updates?: unknown; marker?: unknown }>('getUpdates', 'GET', '/updates', {
      query: { limit: 100, timeout, marker: stored?.marker, types: MAX_UPDATE_TYPES.join(',') },
      extraTimeoutMs: timeout * 1000,
      ...(signal ? { signal } : {}),
    });
    if (!Array.isArray(answer.updates)) throw wrapMaxError('getUpdates', new MalformedMaxResponseError('getUpdates answered no updates array'));
    if (signal?.aborted) return { messages: 0, presses: 0, skipped: 0 };
    const marker = typeof answer.marker === 'number' && Number.isSafeInteger(answer.marker) ? answer.marker : stored?.marker;
    const cursor = marker !== undefined && marker !== stored?.marker ? { key: MAX_MARKER_KEY, value: { marker } } : undefined;
    return this.handOver.deliver(answer.updates, cursor);
  }
}

/** GET /me: the bot's user id (told to `onBotIdentity`), or null when the answer has none. */
export async function learnMaxIdentity(client: MaxClient, signal: AbortSignal, onBotIdentity?: (botId: number) => void): Promise<number | null> {
  const me = await client.call<{ user_id?: unknown }>('getMyInfo', 'GET', '/me', { signal });
  if (typeof me.user_id !== 'number' || !Number.isSafeInteger(me.user_id)) return null;
  onBotIdentity?.(me.user_id);
  return me.user_id;
}
