/**
 * The web console's one-time sign-in links and its sessions. Tokens are random 32-byte values
 * shown once (in the link, in the cookie); the tables keep only their SHA-256, so reading the
 * database signs nobody in. Callers own the transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export interface ConsoleSession {
  moderatorKey: string;
  csrfToken: string;
  expiresAt: number;
}

/** Why a link did not sign anyone in. */
export type LinkRefusal = 'unknown' | 'expired' | 'used';

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

export class ConsoleSessionStore {
  constructor(private readonly db: Db) {}

  /** A new one-time link token for the moderator, valid `ttlMs`. */
  issueLink(moderatorKey: string, now: number, ttlMs: number): string {
    const token = newToken();
    this.db
      .prepare('INSERT INTO console_login_links (token_hash, moderator_key, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(digest(token), moderatorKey, now, now + ttlMs);
    // Links expire in minutes: old rows are kept a day for the record, then dropped.
    this.db.prepare('DELETE FROM console_login_links WHERE expires_at < ?').run(now - 86_400_000);
    return token;
  }

  /** Use a link: the moderator's key once, or why not. A link works once even when two requests race (the UPDATE decides). */
  consumeLink(token: string, now: number): { ok: true; moderatorKey: string } | { ok: false; reason: LinkRefusal } {
    const hash = digest(token);
    const used = this.db
      .prepare<[number, string, number], { moderator_key: string }>(
        'UPDATE console_login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING moderator_key',
      )
      .get(now, hash, now);
    if (used) return { ok: true, moderatorKey: used.moderator_key };
    const row = this.db.prepare<[string], { used_at: number | null }>('SELECT used_at FROM console_login_links WHERE token_hash = ?').get(hash);
    return { ok: false, reason: !row ? 'unknown' : row.used_at !== null ? 'used' : 'expired' };
  }

  /** A new session: the cookie value (shown once) and its CSRF token. */
  createSession(moderatorKey: string, now: number, ttlMs: number): { id: string; csrfToken: string } {
    const id = newToken();
    const csrfToken = newToken();
    this.db
      .prepare('INSERT INTO console_sessions (id_hash, moderator_key, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(digest(id), moderatorKey, csrfToken, now, now + ttlMs);
    return { id, csrfToken };
  }

  /** The live session with this cookie value, or null (unknown, ended or expired). */
  session(id: string, now: number): ConsoleSession | null {
    const row = this.db
      .prepare<[string, number], { moderator_key: string; csrf_token: string; expires_at: number }>(
        'SELECT moderator_key, csrf_token, expires_at FROM console_sessions WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?',
      )
      .get(digest(id), now);
    return row ? { moderatorKey: row.moderator_key, csrfToken: row.csrf_token, expiresAt: row.expires_at } : null;
  }

  /** Sign out. */
  endSession(id: string, now: number): void {
    this.db.prepare('UPDATE console_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL').run(now, digest(id));
  }

  /** End every live session and unused link of moderators not in `keep` (removed from config). Returns the sessions ended. */
  endAllExcept(keep: readonly string[], now: number): number {
    const list = JSON.stringify(keep);
    this.db
      .prepare('UPDATE console_login_links SET used_at = ? WHERE used_at IS NULL AND moderator_key NOT IN (SELECT value FROM json_each(?))')
      .run(now, list);
    return this.db
      .prepare('UPDATE console_sessions SET ended_at = ? WHERE ended_at IS NULL AND moderator_key NOT IN (SELECT value FROM json_each(?))')
      .run(now, list).changes;
  }
}
