import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Open the SQLite file (or ':memory:') with the pragmas every connection needs.
 * WAL lets readers (health, stats, export) run beside the writer; NORMAL sync is safe with WAL
 * (a power cut may lose the last transactions, never corrupt); busy_timeout waits for a
 * concurrent writer such as the `migrate` CLI instead of failing at once. A file's folder is
 * created when missing (a fresh install's `data/`).
 */
export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  cacheStatements(db);
  return db;
}

/** Distinct SQL texts kept prepared per connection; the stores use a few dozen. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Make `db.prepare` reuse the statement prepared earlier for the same SQL text. The stores call
 * `prepare` on every use; compiling each time cost a third of the pipeline's CPU, and the
 * discarded statements held native memory until V8 happened to collect them (RSS grew with
 * traffic). A statement that is busy (an open `iterate()`) is never handed out twice: the caller
 * then gets a fresh, uncached one. Reader modes set by a caller (`pluck`, `raw`, `expand`) are
 * reset on every hand-out, so each caller sees a plain statement as before.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const cached = (sql: string): Database.Statement => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) {
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      return hit;
    }
    if (hit) return prepare(sql);
    const statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return statement;
  };
  db.prepare = cached as Db['prepare'];
}

/** Run `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so claims cannot race. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
