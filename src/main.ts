/**
 * Entry point and CLI: `otklik start | demo | emulator | migrate | stats | export`.
 * Only wiring: parse arguments, load config, start the app, stop it on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { ErrorCode, OtklikError } from './errors.js';

function loadDotEnv(): void {
  // Node 20.12+ reads .env natively; an absent file is fine (secrets may come from the service manager).
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/** The exit status of each kind of our errors: 2 for what the operator must fix before a restart helps (config, migrations), else 1. */
const EXIT_STATUS: Readonly<Record<ErrorCode, number>> = { [ErrorCode.Config]: 2, [ErrorCode.Migration]: 2, [ErrorCode.Http]: 1, [ErrorCode.Api]: 1 };

function fail(error: unknown): never {
  if (error instanceof OtklikError) {
    process.stderr.write(`otklik: ${error.message}\n`);
    process.exit(EXIT_STATUS[error.code]);
  }
  process.stderr.write(`otklik: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

const program = new Command()
  .name('otklik')
  .description("Отклик: finds citizens' complaints in VK and Telegram, registers incidents, answers in the same thread.");

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
  .command('emulator')
  .description('run the VK + Telegram emulator alone with a seeded world, print how to point `otklik start` at it, serve its control API')
  .option('--port <n>', 'TCP port on 127.0.0.1 (0: any free port)', '8081')
  .option('--world <file>', "a JSON world file (docs/emulator.md); the demo's world when absent")
  .action(async (options: { port: string; world?: string }) => {
    const { parsePort, runEmulator } = await import('./cli/emulator.js');
    await runEmulator({ port: parsePort(options.port), ...(options.world ? { worldPath: options.world } : {}) });
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

program
  .command('stats')
  .description('incident counts for a period: by status, topic, municipality and source; timings; overdue')
  .option('--period <period>', 'today | yesterday | week | month | 7d | 2026-11-23 | 2026-11-01..2026-11-30', 'today')
  .option('--json', 'print the numbers as JSON', false)
  .option('--municipality <id>', 'only this municipality (an id from config municipalities[])')
  .action(async (options: { period: string; json: boolean; municipality?: string }) => {
    loadDotEnv();
    const { runStats } = await import('./cli/reports.js');
    runStats({ env: process.env }, options);
  });

program
  .command('export')
  .description('write the incidents registered in a period to a CSV file (UTF-8 with BOM, for Excel)')
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD (local time of the region)')
  .requiredOption('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
  .option('--out <file>', 'CSV file to write, or - for stdout', 'incidents.csv')
  .option('--no-text', "leave the citizens' texts out (a file to share outside the centre)")
  .action(async (options: { from: string; to: string; out: string; text: boolean }) => {
    loadDotEnv();
    const { runExport } = await import('./cli/reports.js');
    const result = runExport({ env: process.env }, options);
    if (result.path) process.stderr.write(`Wrote ${result.rows} incident(s) registered ${options.from}…${options.to} to ${result.path}\n`);
  });

program.parseAsync(process.argv).catch(fail);
