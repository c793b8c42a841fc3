import type { EmulatorCore } from '../core.js';
import { pause } from '../http/http-util.js';
import type { MaxBot } from './max-state.js';

/** MAX gives up on an update this long after it happened. */
const GIVE_UP_MS = 8 * 60 * 60_000;

export interface PusherOptions {
  /** First wait after a failed delivery, doubling; default 100 ms (MAX's real waits are longer). */
  retryBaseMs?: number;
  /** Longest wait between tries; default 5 000 ms. */
  retryMaxMs?: number;
}

/**
 * Pushes each bot's updates to its webhook subscription as MAX does: one POST per update with the
 * JSON body and `X-Max-Bot-Api-Secret`, in order; anything but a 200 (a refusal, a timeout, a
 * closed port) is retried with exponential back-off until a 200 comes, for at most 8 hours after
 * the update happened. Only subscriptions on loopback exist (max-api.ts refuses others).
 */
export class MaxWebhookPusher {
  private readonly running = new Set<MaxBot>();

  constructor(
    private readonly core: EmulatorCore,
    private readonly options: PusherOptions = {},
  ) {}

  /** Wires the bot's queue to this pusher; call once per bot. */
  attach(bot: MaxBot): void {
    bot.wakePusher = () => void this.drain(bot);
  }

  private async drain(bot: MaxBot): Promise<void> {
    if (this.running.has(bot)) return;
    this.running.add(bot);
    try {
      let failures = 0;
      while (!this.core.signal.aborted) {
        const subscription = bot.subscriptions[0];
        const entry = bot.updates[0];
        if (!subscription || !entry) return;
        const type = String(entry.update.update_type);
        if ((subscription.updateTypes && !subscription.updateTypes.includes(type)) || this.core.clock() - entry.at > GIVE_UP_MS) {
          bot.updates.shift();
          continue;
        }
        const status = await this.post(subscription.url, subscription.secret, entry.update);
        this.core.log.add({
          api: 'max_webhook',
          method: type,
          time: this.core.clock(),
          outcome: status === 200 ? 'ok' : 'error',
          ...(status === 200 ? {} : { errorCode: status }),
          caller: `bot:${bot.user.user_id}`,
        });
        if (status === 200) {
          if (bot.updates[0] === entry) bot.updates.shift();
          failures = 0;
          continue;
        }
        failures += 1;
        const base = this.options.retryBaseMs ?? 100;
        await pause(Math.min(base * 2 ** Math.min(failures - 1, 20), this.options.retryMaxMs ?? 5000), this.core.signal);
      }
    } finally {
      this.running.delete(bot);
    }
  }

  /** The HTTP status of one delivery; 0 when it never got an answer. */
  private async post(url: string, secret: string | null, update: Record<string, unknown>): Promise<number> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-max-bot-api-secret': secret } : {}) },
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.core.signal, AbortSignal.timeout(10_000)]),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }
}
