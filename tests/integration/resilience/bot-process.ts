/**
 * The real bot as a child process (`tsx src/main.ts start`), configured only through its
 * environment and a local config file, pointed at an emulator running in the test process.
 * Tests kill it (SIGKILL) or stop it (SIGTERM) and read its SQLite file afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { type BenchWorld, CONFIG_DIR } from '../../../src/bench/bench-world.js';
import { waitUntil } from '../../../src/bench/figure.js';
import { REPO_ROOT } from '../../helpers/index.js';

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A temp directory with the bot's config and database, shared by every start of the bot. */
export class BotHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'otklik-bot-'));
  readonly dbPath = join(this.dir, 'otklik.sqlite');
  readonly localPath = join(this.dir, 'local.json');
  /** Everything every started process wrote to stdout and stderr, in order. */
  readonly output: string[] = [];
  private readonly started: BotProcess[] = [];

  constructor(private readonly world: BenchWorld) {
    writeFileSync(this.localPath, JSON.stringify(world.local, null, 2));
  }

  /** Start the bot; resolves once the process has spawned (not once it listens). */
  start(extraEnv: Record<string, string> = {}): BotProcess {
    const bot = spawnOtklik(['start'], this.dir, this.output, {
      ...this.world.env,
      OTKLIK_CONFIG_DIR: CONFIG_DIR,
      OTKLIK_CONFIG_LOCAL: this.localPath,
      OTKLIK_DB_PATH: this.dbPath,
      VK_API_BASE_URL: String((this.world.local.vk as { apiBaseUrl: string }).apiBaseUrl),
      TELEGRAM_API_ROOT: String((this.world.local.telegram as { apiRoot: string }).apiRoot),
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      ...extraEnv,
    });
    this.started.push(bot);
    return bot;
  }

  /** A read-only look at the bot's database (WAL lets it read beside the running writer). */
  read<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  /** True once the database exists and has its tables (the bot migrated it). */
  migrated(): boolean {
    try {
      return this.read((db) => db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").get() !== undefined);
    } catch {
      return false;
    }
  }

  /** Waits until `check` holds; the deadline only makes a broken bot fail the test, with its output, instead of hanging it. */
  async until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    try {
      await waitUntil(check, what, timeoutMs, 25);
    } catch {
      throw new Error(`gave up waiting for ${what}; bot output:\n${this.output.join('').slice(-4000)}`);
    }
  }

  /** After a test: kill whatever it left running, wait for it to exit, then delete the directory. */
  async dispose(): Promise<void> {
    for (const bot of this.started.splice(0)) {
      bot.kill('SIGKILL');
      await bot.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `otklik <args>` (src/main.ts through tsx) as a child process in `cwd`, with only PATH and `env`
 * from outside; its stdout and stderr go to `output`. The caller kills it (and awaits `exited`).
 */
export function spawnOtklik(args: string[], cwd: string, output: string[], env: Record<string, string>): BotProcess {
  // The cwd is a temp dir (no stray .env is read), so tsx's loader is named by its full path.
  const loader = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, join(REPO_ROOT, 'src/main.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new BotProcess(child, output);
}

export class BotProcess {
  readonly exited: Promise<BotExit>;

  constructor(
    private readonly child: ChildProcess,
    output: string[],
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
