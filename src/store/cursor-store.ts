import type { Db } from './db.js';

/**
 * Poll cursors: where each poller stopped. Callers write a cursor inside the same transaction
 * as the messages it covers, so a crash either keeps both or neither.
 */
export class CursorStore {
  private readonly getStmt;
  private readonly setStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], { value_json: string }>('SELECT value_json FROM poll_cursors WHERE cursor_key = ?');
    this.setStmt = db.prepare(
      `INSERT INTO poll_cursors (cursor_key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (cursor_key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    );
  }

  get<T>(key: string): T | undefined {
    const row = this.getStmt.get(key);
    return row ? (JSON.parse(row.value_json) as T) : undefined;
  }

  set(key: string, value: unknown, now: number): void {
    this.setStmt.run(key, JSON.stringify(value), now);
  }

  /** All cursors whose key starts with `prefix`, e.g. every wall post of one community. */
  list<T>(prefix: string): Map<string, T> {
    const rows = this.db
      .prepare<[string, string], { cursor_key: string; value_json: string }>(
        'SELECT cursor_key, value_json FROM poll_cursors WHERE cursor_key >= ? AND cursor_key < ? || char(1114111)',
      )
      .all(prefix, prefix);
    return new Map(rows.map((row) => [row.cursor_key, JSON.parse(row.value_json) as T]));
  }
}
