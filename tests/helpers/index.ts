/** Shared test imports: one module, so tests read the same way. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, createConfig, readProblemsFileIfAny } from '../../src/config.js';
import { type Db, openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** A fresh in-memory database with the real migrations. */
export function freshDb(): Db {
  const db = openDb(':memory:');
  migrateToLatest(db);
  return db;
}

/** Fake tokens for every community in config/default.json: tests never see real ones. */
export function fakeTokenEnv(config: { vk: { communities: { groupId: number }[] } }): Record<string, string> {
  const env: Record<string, string> = { VK_USER_TOKEN: 'vk-user-token-test', TELEGRAM_BOT_TOKEN: '123456:telegram-test-token' };
  for (const c of config.vk.communities) env[`VK_COMMUNITY_TOKEN_${c.groupId}`] = `vk-community-token-${c.groupId}`;
  return env;
}

/** The shipped config/default.json with fake tokens, plus overrides merged on top. */
export function testConfig(overrides: Record<string, unknown> = {}, env: Record<string, string> = {}): Config {
  const configDir = join(REPO_ROOT, 'config');
  const defaults = JSON.parse(readFileSync(join(configDir, 'default.json'), 'utf8')) as { vk: { communities: { groupId: number }[] } };
  return createConfig({ configDir, defaults, local: overrides, problems: readProblemsFileIfAny(configDir), env: { ...fakeTokenEnv(defaults), ...env } });
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public current: number = Date.UTC(2026, 10, 23, 7, 0, 0)) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Runs a long-running part (a source) until `until` resolves, then aborts it and waits for its loop to end. */
export async function runUntil(part: { run(signal: AbortSignal): Promise<void> }, until: () => Promise<unknown>): Promise<void> {
  const stop = new AbortController();
  const running = part.run(stop.signal);
  try {
    await until();
  } finally {
    stop.abort();
    await running;
  }
}
