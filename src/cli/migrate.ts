import { loadConfigFilesOnly } from '../config.js';
import { openDb } from '../store/db.js';
import { applyMigrations, MIGRATIONS_DIR, planMigrations, readMigrations } from '../store/migrator.js';

/** `otklik migrate [--commit]`: show the plan; change the database only with --commit. */
export function runMigrate(env: NodeJS.ProcessEnv, commit: boolean): void {
  const config = loadConfigFilesOnly(env);
  const db = openDb(config.database.path);
  try {
    const migrations = readMigrations(MIGRATIONS_DIR);
    const plan = planMigrations(db, migrations);
    const name = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')}_${m.name}`;
    process.stdout.write(`Database ${config.database.path}: schema version ${plan.current}, this build knows ${migrations.at(-1)?.version ?? 0}.\n`);
    if (plan.pending.length === 0) {
      process.stdout.write('Nothing to migrate.\n');
      return;
    }
    process.stdout.write(`Pending:\n${plan.pending.map((m) => `  ${name(m)}`).join('\n')}\n`);
    if (!commit) {
      process.stdout.write('Nothing changed. Back up the database file, then run `otklik migrate --commit` to apply.\n');
      return;
    }
    const applied = applyMigrations(db, migrations);
    process.stdout.write(`Applied ${applied.length} migration(s): ${applied.map(name).join(', ')}.\n`);
  } finally {
    db.close();
  }
}
