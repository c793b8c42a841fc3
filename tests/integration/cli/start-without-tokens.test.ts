import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/index.js';

/** `npm start` is `tsx src/main.ts start`: run exactly that, as a user would, with no tokens. */
function start(env: Record<string, string>): { status: number | null; stderr: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'otklik-start-'));
  const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'src/main.ts'), 'start'], {
    cwd,
    // Only what the test names: no token may leak in from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOME: cwd, OTKLIK_CONFIG_DIR: join(REPO_ROOT, 'config'), OTKLIK_DB_PATH: join(cwd, 'otklik.sqlite'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('otklik start without tokens', () => {
  it('should stop at once, name the missing variable and point to .env.example and the demo', () => {
    const { status, stderr } = start({});
    expect(status).toBe(2);
    expect(stderr).toMatch(/Missing environment variable VK_USER_TOKEN/);
    expect(stderr).toContain('.env.example');
    expect(stderr).toContain('npm run demo');
  });

  it('should name a community token that is still missing once the reader token is set', () => {
    const { status, stderr } = start({ VK_USER_TOKEN: 'vk-user-token-test' });
    expect(status).toBe(2);
    expect(stderr).toMatch(/Missing environment variable VK_COMMUNITY_TOKEN_210001/);
    expect(stderr).not.toContain('vk-user-token-test');
  });
});
