/**
 * The error taxonomy. Every error has a stable `code`, sets `name`, and keeps its `cause`.
 * Channel adapters wrap vk-io and telegraf errors into these at their edge; nothing else leaks.
 */

import type { Platform } from './domain/inbound-message.js';

export enum ErrorCode {
  /** Transport failed: connection refused, reset, timeout, a non-JSON body. */
  Http = 'HTTP',
  /** The platform answered with an error. */
  Api = 'API',
  /** Configuration or environment is invalid. */
  Config = 'CONFIG',
  /** The database schema is newer than this build, or a migration failed. */
  Migration = 'MIGRATION',
}

/** How a failed external call should be treated: once, at the adapter edge. */
export type FailureClass =
  /**
   * Try again later; `retryAfterMs` when the platform said how long to wait. `outcomeUnknown`:
   * the request may have had its effect (a send timed out, or its answer was unreadable), so a
   * retry may repeat it: no fast retry.
   */
  | { kind: 'retry'; retryAfterMs?: number; outcomeUnknown?: true }
  /** This request will never succeed (bad parameters, access denied): give up on it, keep the channel. */
  | { kind: 'reject' }
  /** The channel cannot work (revoked token): stop it and alert a person. */
  | { kind: 'fatal' };

export abstract class OtklikError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class HttpError extends OtklikError {
  readonly code = ErrorCode.Http;
  constructor(
    readonly platform: Platform,
    readonly method: string,
    message: string,
    options?: { cause?: unknown; status?: number; outcomeUnknown?: boolean },
  ) {
    super(`${platform} ${method}: ${message}`, options);
    this.status = options?.status;
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
  readonly status: number | undefined;
  /** The request reached the platform and may have had its effect: it timed out, or its answer could not be read. */
  readonly outcomeUnknown: boolean;
}

export class ApiError extends OtklikError {
  readonly code = ErrorCode.Api;
  constructor(
    readonly platform: Platform,
    readonly method: string,
    /** VK error_code, Telegram error_code (HTTP-like) or MAX's HTTP status (its `code` string is in the description). */
    readonly apiCode: number,
    readonly description: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(`${platform} ${method} failed with ${apiCode}: ${description}`, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

export class ConfigError extends OtklikError {
  readonly code = ErrorCode.Config;
}

export class MigrationError extends OtklikError {
  readonly code = ErrorCode.Migration;
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/** Remove anything that looks like a token from a string before it is logged or stored. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/access_token=[^&\s"']+/g, 'access_token=[redacted]').replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[redacted]');
}
