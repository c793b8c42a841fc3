import type { Faults, RateLimiter } from './faults.js';
import type { RequestLog } from './request-log.js';

/** What every route handler shares: the clock, faults, the request log and the shutdown signal. */
export interface EmulatorCore {
  readonly clock: () => number;
  readonly faults: Faults;
  readonly vkRateLimit: RateLimiter;
  readonly log: RequestLog;
  /** Aborted by close(): long polls and delays end at once. */
  readonly signal: AbortSignal;
  readonly baseUrl: () => string;
}
