import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Open the SQLite file (or ':memory:') with the pragmas every connection needs.
 * WAL lets readers (health, stats, export) run beside the writer; NORMAL sync is safe with WAL
 * (a power cut may lose the last transactions, never corrupt); busy_timeout waits for a
 * concurrent writer such as the `migrate` CLI instead of failing at once.
 */
export function openDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Run `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so claims cannot race. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
