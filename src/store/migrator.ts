import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from '../errors.js';
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationPlan {
  current: number;
  pending: Migration[];
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Read `migrations/NNNN_verb_object.sql` files in version order. Gaps or duplicates are refused. */
export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new MigrationError(`Migration file ${file} in ${dir} must be named NNNN_verb_object.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`Migrations must be numbered 0001, 0002, … without gaps; found ${migration.version} at position ${index + 1}`);
    }
  });
  return migrations;
}

function ensureTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
}

/** What `migrate` would do. A database newer than this build is refused: running it could corrupt data. */
export function planMigrations(db: Db, migrations: Migration[]): MigrationPlan {
  ensureTable(db);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new MigrationError(
      `The database is at schema version ${current}, newer than this build of Otklik knows (${latest}). ` +
        'Run the newer Otklik release, or restore a backup made before the upgrade.',
    );
  }
  return { current, pending: migrations.filter((migration) => migration.version > current) };
}

/** Apply pending migrations in order, each in its own transaction together with its schema_migrations row. */
export function applyMigrations(db: Db, migrations: Migration[], now: number = Date.now()): Migration[] {
  const plan = planMigrations(db, migrations);
  for (const migration of plan.pending) {
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, now);
    });
    try {
      apply.immediate();
    } catch (cause) {
      throw new MigrationError(`Migration ${String(migration.version).padStart(4, '0')}_${migration.name} failed: ${(cause as Error).message}`, { cause });
    }
  }
  return plan.pending;
}

/** The migrations folder shipped with this build. */
export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url).pathname;

/** Open-and-migrate helper for the app, tests and tools. */
export function migrateToLatest(db: Db, dir: string = MIGRATIONS_DIR): Migration[] {
  return applyMigrations(db, readMigrations(dir));
}
