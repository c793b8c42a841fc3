import { MAX_WEBHOOK_CHANNEL } from '../../domain/channel-id.js';
import type { ApiError, FailureClass, HttpError } from '../../errors.js';
import { type PolledSource, runSource } from '../source-runner.js';
import { classifyMaxError, wrapMaxError } from './max-errors.js';
import { learnMaxIdentity, type MaxSourceDeps } from './max-long-poll-source.js';
import { MAX_UPDATE_TYPES } from './max-normalise.js';

/**
 * MAX updates by webhook (`max.mode` webhook), the subscribing half: at start, GET /me (the bot's
 * id) and POST /subscriptions with `max.webhook.publicUrl`, the secret and the update types, run
 * by the shared source runner (a refused token stops the channel with an alert; anything else is
 * retried with backoff). Then it only waits: the updates arrive at MaxWebhookReceiver.
 */
export class MaxWebhookSource implements PolledSource {
  readonly channel = MAX_WEBHOOK_CHANNEL;
  readonly label = 'MAX webhook subscription';
  readonly fatalHint = 'the bot token was refused; fix MAX_BOT_TOKEN and restart';
  private subscribed = false;

  constructor(private readonly deps: Pick<MaxSourceDeps, 'config' | 'logger' | 'client' | 'status' | 'onBotIdentity'> & { secret: string }) {}

  run(signal: AbortSignal): Promise<void> {
    return runSource(this, signal, { logger: this.deps.logger, ...(this.deps.status ? { status: this.deps.status } : {}) });
  }

  async round(signal: AbortSignal): Promise<void> {
    if (this.subscribed) {
      // Subscribed: nothing to poll; wait for the stop.
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return;
    }
    const { client, config, logger, secret } = this.deps;
    const url = config.max.webhook.publicUrl;
    if (url === null) throw new Error('max.webhook.publicUrl is not set');
    await learnMaxIdentity(client, signal, this.deps.onBotIdentity);
    const result = await client.call<{ success?: unknown; message?: unknown }>('subscribe', 'POST', '/subscriptions', {
      body: { url, secret, update_types: [...MAX_UPDATE_TYPES] },
      signal,
    });
    if (result.success !== true) throw wrapMaxError('subscribe', new Error(`subscription refused: ${String(result.message ?? 'no reason given')}`));
    this.subscribed = true;
    logger.info({ url }, 'MAX webhook subscribed');
  }

  classify(error: unknown): { error: ApiError | HttpError; failure: FailureClass } {
    const wrapped = wrapMaxError('subscribe', error);
    return { error: wrapped, failure: classifyMaxError(wrapped) };
  }
}
