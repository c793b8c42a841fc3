/**
 * Entry point and CLI: `otklik start | demo | migrate`.
 * Only wiring: parse arguments, load config, start the app, stop it on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, MigrationError, OtklikError } from './errors.js';

function loadDotEnv(): void {
  // Node 20.12+ reads .env natively; an absent file is fine (secrets may come from the service manager).
  if (existsSync('.env')) process.loadEnvFile('.env');
}

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    process.stderr.write(`otklik: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof OtklikError) process.stderr.write(`otklik: ${error.message}\n`);
  else process.stderr.write(`otklik: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

const program = new Command()
  .name('otklik')
  .description('Отклик: finds citizens\' complaints in VK and Telegram, registers incidents, answers in the same thread.');

program
  .command('start')
  .description('run the bot with config/ and tokens from the environment (.env)')
  .action(async () => {
    loadDotEnv();
    const { runBot } = await import('./cli/start.js');
    await runBot(process.env);
  });

program
  .command('demo')
  .description('run the bot against the built-in VK/Telegram emulator with a scripted stream of messages')
  .option('--db <path>', 'SQLite file to leave behind', './data/demo.sqlite')
  .option('--fast', 'no pauses between messages', false)
  .action(async (options: { db: string; fast: boolean }) => {
    const { runDemo } = await import('./demo/run-demo.js');
    const code = await runDemo({ dbPath: options.db, fast: options.fast });
    process.exit(code);
  });

program
  .command('migrate')
  .description('show pending database migrations; apply them with --commit')
  .option('--commit', 'apply the pending migrations', false)
  .action(async (options: { commit: boolean }) => {
    loadDotEnv();
    const { runMigrate } = await import('./cli/migrate.js');
    runMigrate(process.env, options.commit);
  });

program.parseAsync(process.argv).catch(fail);
