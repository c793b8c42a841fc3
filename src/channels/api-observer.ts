import { type Platform, platformPrefix } from '../domain/inbound-message.js';

/**
 * Told about every call to a platform API (VK method, Telegram Bot API method), after it ends:
 * the metrics endpoint counts calls, errors and latency by method from it. Implementations must
 * be cheap and must not throw: they run on the hot path of every request.
 */
export interface ApiObserver {
  apiCall(call: ApiCallRecord): void;
}

export interface ApiCallRecord {
  platform: Platform;
  method: string;
  durationMs: number;
  /** null on success; else a short, token-free label: the API error code ('vk_9', 'tg_429') or the error's name. */
  error: string | null;
}

/** A short label for a failed call: the platform's error code when there is one, else the error's name. */
export function apiErrorLabel(platform: Platform, error: unknown): string {
  const e = error as { code?: unknown; error_code?: unknown; apiCode?: unknown; name?: unknown } | null;
  const code = e?.apiCode ?? e?.error_code ?? e?.code;
  if (typeof code === 'number' || (typeof code === 'string' && /^\d+$/.test(code))) return `${platformPrefix(platform)}_${code}`;
  return typeof e?.name === 'string' && e.name ? e.name : 'Error';
}
