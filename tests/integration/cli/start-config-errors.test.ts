import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';
import { fakeTokenEnv, REPO_ROOT } from '../../helpers/index.js';

let emulator: Emulator;

beforeEach(async () => {
  emulator = await Emulator.start();
});

afterEach(async () => {
  await emulator.close();
});

/** `otklik start` with `local` as config/local.json and fake tokens, every endpoint on the emulator. */
async function start(local: Record<string, unknown>, env: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'otklik-start-'));
  const localPath = join(cwd, 'local.json');
  writeFileSync(localPath, JSON.stringify({ vk: { apiBaseUrl: emulator.vkApiBaseUrl }, telegram: { apiRoot: emulator.telegramApiRoot }, ...local }));
  const defaults = JSON.parse(readFileSync(join(REPO_ROOT, 'config/default.json'), 'utf8')) as { vk: { communities: { groupId: number }[] } };
  // Node itself with tsx's loader (not the tsx wrapper): a kill reaches the bot, not only a wrapper around it.
  const loader = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, join(REPO_ROOT, 'src/main.ts'), 'start'], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      OTKLIK_CONFIG_DIR: join(REPO_ROOT, 'config'),
      OTKLIK_CONFIG_LOCAL: localPath,
      OTKLIK_DB_PATH: join(cwd, 'otklik.sqlite'),
      HTTP_PORT: '0',
      ...fakeTokenEnv(defaults),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A bot that did start (the defect) is stopped once it has talked to the emulator, so the test fails instead of hanging.
  const watchdog = setInterval(() => {
    if (emulator.requestLog().length > 0) child.kill('SIGKILL');
  }, 50);
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(watchdog);
  return { status, stderr };
}

describe('otklik start with a configuration error', () => {
  it('should refuse a bad region.timezone before it starts anything, naming the key and the closest zone', async () => {
    const { status, stderr } = await start({ region: { name: 'Регион', timezone: 'Europe/Mos\u0441ow' } });
    expect(emulator.requestLog()).toEqual([]);
    expect(status).toBe(2);
    expect(stderr).toContain('region.timezone = "Europe/Mos\u0441ow": not an IANA time zone');
    expect(stderr).toContain('did you mean "Europe/Moscow"?');
    expect(stderr).not.toMatch(/RangeError/);
  }, 60_000);

  it('should refuse a misspelt key of config/local.json with the closest known key', async () => {
    const { status, stderr } = await start({ vk: { apiBaseUrl: emulator.vkApiBaseUrl, pollIntervalSecond: 30 } });
    expect(emulator.requestLog()).toEqual([]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/vk\.pollIntervalSecond: unknown key in .*local\.json \(did you mean vk\.pollIntervalSeconds\?\)/);
  }, 60_000);

  it('should name HTTP_PORT and its value when it is not a number', async () => {
    const { status, stderr } = await start({}, { HTTP_PORT: 'abc' });
    expect(status).toBe(2);
    expect(stderr).toContain('HTTP_PORT = "abc" (environment, sets http.port)');
    expect(stderr).not.toContain('http.port = null');
  }, 60_000);
});
