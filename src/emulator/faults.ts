import { Prng } from './prng.js';

/** Which API a fault, a rate limit or a logged request belongs to: the VK API, VK Bots Long Poll (`a_check`), the Telegram Bot API, the MAX Bot API. */
export type FaultApi = 'vk' | 'vk_lp' | 'telegram' | 'max';

/**
 * What a failing request gets instead of its normal answer.
 * - `vkError`: a VK error object with this code (6, 9, 10, …), HTTP 200 as VK does.
 * - `httpStatus`: a bare HTTP status (500, 502, …) with a proxy-like HTML body; on MAX, 429, 500
 *   and 503 come in MAX's own shape, `{code, message}`.
 * - `delayMs`: the request is held this long, then served normally.
 * - `telegram429`: 429 Too Many Requests with `parameters.retry_after` in seconds.
 * - `malformed`: `true`/'json' answer invalid JSON; 'shape' answers valid JSON of the wrong shape.
 * - `corrupt`: the request is served (with its effects), then these top-level fields of its answer
 *   replace the real ones (`undefined`, or `null` over JSON, removes a field): one broken part in
 *   an otherwise good answer, e.g. `{ corrupt: { profiles: 'oops' } }`. Applies to objects only.
 * - `hang`: the request is held, never answered and without effect, until the client gives up
 *   (closes the connection) or the emulator closes: a call that times out on the client's side.
 * - `longPollFailed` (`vk_lp` only): the community's Bots Long Poll history so far is lost (the
 *   events not yet read can never be read), and the a_check answers `{failed: 1, ts}` (history
 *   lost, go on from the new ts), `{failed: 2}` (key expired: its keys are also invalidated) or
 *   `{failed: 3}` (information lost: keys invalidated, a new key and ts are needed).
 * - `dropUpdatesOlderThanSeconds` (Telegram `getUpdates` only): pending updates older than this
 *   (by the emulator's clock) are dropped, as Telegram keeps updates for 24 hours only; the request
 *   is then served normally with what is left.
 */
export type FaultKind =
  | { vkError: number }
  | { httpStatus: number }
  | { delayMs: number }
  | { telegram429: number }
  | { malformed: true | 'json' | 'shape' }
  | { corrupt: Record<string, unknown> }
  | { hang: true }
  | { longPollFailed: 1 | 2 | 3 }
  | { dropUpdatesOlderThanSeconds: number };

/** The answer with a `corrupt` fault's fields put over it; anything but a plain object is left as it is. */
export function corruptAnswer(answer: unknown, fields: Record<string, unknown>): unknown {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return answer;
  const out: Record<string, unknown> = { ...(answer as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

export interface FaultSpec {
  api: FaultApi;
  /** VK method name (also matches calls inside `execute`), `a_check`, Telegram method or MAX operationId (sendMessage, getUpdates…); any method when absent. */
  method?: string;
  /** How many matching requests fail; default 1. Use Infinity for "until clearFaults()". */
  times?: number;
  kind: FaultKind;
}

export interface FailureRateSpec {
  api: FaultApi;
  /** Probability in [0, 1] that a request fails. */
  rate: number;
  /** One is picked at random (seeded) for each failing request. */
  kinds: FaultKind[];
  /** Seed of the PRNG deciding which requests fail; default 1. */
  seed?: number;
}

interface ActiveFault {
  api: FaultApi;
  method: string | undefined;
  remaining: number;
  kind: FaultKind;
}

/**
 * Decides, before a request has any effect, whether it fails and how. Injected
 * faults are consumed first (in injection order), then the random failure rate.
 */
export class Faults {
  private faults: ActiveFault[] = [];
  private rates = new Map<FaultApi, { rate: number; kinds: FaultKind[]; prng: Prng }>();

  inject(spec: FaultSpec): void {
    this.faults.push({ api: spec.api, method: spec.method, remaining: spec.times ?? 1, kind: spec.kind });
  }

  setFailureRate(spec: FailureRateSpec): void {
    if (spec.rate <= 0 || spec.kinds.length === 0) {
      this.rates.delete(spec.api);
      return;
    }
    this.rates.set(spec.api, { rate: spec.rate, kinds: spec.kinds, prng: new Prng(spec.seed ?? 1) });
  }

  clear(): void {
    this.faults = [];
    this.rates.clear();
  }

  /**
   * Takes the fault for one request. `exactOnly` matches only faults that name this
   * method (used for the calls inside `execute`, whose HTTP request was already checked).
   */
  take(api: FaultApi, method: string, exactOnly = false): FaultKind | undefined {
    const index = this.faults.findIndex((f) => f.api === api && f.remaining > 0 && (f.method === method || (!exactOnly && f.method === undefined)));
    const fault = this.faults[index];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.splice(index, 1);
      return fault.kind;
    }
    if (exactOnly) return undefined;
    const rate = this.rates.get(api);
    if (rate && rate.prng.next() < rate.rate) return rate.prng.pick(rate.kinds);
    return undefined;
  }
}

/** Counts requests per key in a sliding one-second window. */
export class RateLimiter {
  private perSecond: number | undefined;
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly clock: () => number) {}

  set(perSecond: number | undefined): void {
    this.perSecond = perSecond && perSecond > 0 ? perSecond : undefined;
    this.hits.clear();
  }

  /** Records a hit for `key`; false when the key is over its limit (the hit is then not counted). */
  allow(key: string): boolean {
    if (this.perSecond === undefined) return true;
    const now = this.clock();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= this.perSecond) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }
}
