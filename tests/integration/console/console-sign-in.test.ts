import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERATORS_CHAT, REGIONAL, SOSNOVKA_MOD, STRANGER, VK_MODERATOR, type World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from '../moderation/world.js';
import { ConsoleClient, type ShiftedClock, signedIn, startConsoleWorld, telegramLoginLink } from './console-world.js';

/** Sign-in by one-time links from the bot, sessions, sign-out: over HTTP against the running bot. */
describe('console sign-in and sessions', () => {
  let world: World;
  let clock: ShiftedClock;
  let base: string;

  beforeAll(async () => {
    ({ world, clock, base } = await startConsoleWorld());
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should send a one-time link in a private chat and sign in with an HttpOnly, SameSite=Strict cookie with an expiry', async () => {
    const link = await telegramLoginLink(world, ZARECHENSK_MOD);
    expect(link.startsWith(`${base}/login?token=`)).toBe(true);
    const reply = world.telegramReplies(ZARECHENSK_MOD).at(-1)!;
    expect(reply).toContain('10 мин');
    // Opening the link only shows a button: a chat's link preview fetching it cannot spend it.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const client = new ConsoleClient(base);
    const response = await client.signIn(link);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/incidents');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/Expires=/);
    // Plain http on loopback: Secure would make the browser drop it. Behind an https proxy it is set (below).
    expect(cookie).not.toMatch(/Secure/i);
    const list = await client.page('/incidents');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Олег Зареченский');
  });

  it('should refuse a used, a forged and an expired link', async () => {
    const link = await telegramLoginLink(world, ZARECHENSK_MOD);
    expect((await new ConsoleClient(base).signIn(link)).status).toBe(303);
    const reused = await new ConsoleClient(base).signIn(link);
    expect(reused.status).toBe(403);
    expect(await reused.text()).toContain('уже входили');

    const forged = await new ConsoleClient(base).post('/login', { token: 'A'.repeat(43) }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Такой ссылки нет');
    expect((await fetch(`${base}/login?token=<script>`)).status).toBe(400);

    const late = await telegramLoginLink(world, ZARECHENSK_MOD);
    clock.advance(10 * 60_000 + 1_000);
    const expired = await new ConsoleClient(base).signIn(late);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Срок действия ссылки истёк');
    expect(expired.headers.get('set-cookie')).toBeNull();
  });

  it('should give a link only in a private chat and only to a moderator', async () => {
    const inGroup = await world.command(REGIONAL, '/login');
    expect(inGroup).toContain('только в личном чате');
    expect(inGroup).not.toContain('token=');
    const stranger = await world.telegram(STRANGER, STRANGER, '/login');
    const answer = world.emulator.sent().telegramMessages.find((m) => m.chatId === STRANGER && m.replyTo === stranger)!;
    expect(answer.text).toContain('только модераторам');
    expect(answer.text).not.toContain('token=');
    expect(world.telegramReplies(MODERATORS_CHAT).some((t) => t.includes('token='))).toBe(false);
  });

  it('should send the link to a VK moderator in the VK community dialog', async () => {
    await world.vkDialog(ZARECHENSK_GROUP, VK_MODERATOR, '/login');
    const reply = world.emulator
      .sent()
      .vkMessages.filter((m) => m.peerId === VK_MODERATOR)
      .at(-1)!;
    const link = /(http:\/\/\S+\/login\?token=[A-Za-z0-9_-]+)/.exec(reply.text)![1]!;
    const client = new ConsoleClient(base);
    expect((await client.signIn(link)).status).toBe(303);
    expect((await client.page('/incidents')).html).toContain('Дмитрий (ЦУР, VK)');
  });

  it('should refuse every page without a session, after sign-out and after the session expired', async () => {
    const anonymous = new ConsoleClient(base);
    for (const path of ['/incidents', '/incidents/1', '/dashboard', '/incidents.csv']) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(401);
      expect(await response.text()).toContain('/login');
    }
    expect((await anonymous.get('/incidents')).headers.get('cache-control')).toBe('no-store');

    const client = await signedIn(world, base, SOSNOVKA_MOD);
    expect((await client.page('/incidents')).status).toBe(200);
    expect((await client.post('/logout', {})).status).toBe(200);
    expect((await client.get('/incidents')).status).toBe(401);

    const stale = await signedIn(world, base, SOSNOVKA_MOD);
    clock.advance(12 * 3_600_000 + 1_000);
    expect((await stale.get('/incidents')).status).toBe(401);
  });
});

describe('console sessions of a moderator removed from config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-console-'));
  const database = { path: join(dir, 'otklik.sqlite') };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should end them when the bot starts without that moderator, and refuse the cookie', async () => {
    const first = await startConsoleWorld({ database });
    const client = await signedIn(first.world, first.base, SOSNOVKA_MOD);
    const cookie = client.cookie;
    await first.world.stop();

    const moderators = first.world.config.moderators.filter((m) => m.id !== SOSNOVKA_MOD);
    const second = await startConsoleWorld({ database, moderators });
    try {
      const again = new ConsoleClient(second.base);
      again.cookie = cookie;
      const response = await again.get('/incidents');
      expect(response.status).toBe(401);
      const live = second.world.app.db
        .prepare('SELECT COUNT(*) AS n FROM console_sessions WHERE moderator_key = ? AND ended_at IS NULL')
        .get(`tg:${SOSNOVKA_MOD}`);
      expect(live).toEqual({ n: 0 });
    } finally {
      await second.world.stop();
    }
  }, 40_000);

  it('should mark the cookie Secure with the hardened name when the public address is https', async () => {
    const proxied = await startConsoleWorld({ database: { path: ':memory:' }, console: { publicUrl: 'https://console.cur.example.ru' } });
    try {
      const link = await telegramLoginLink(proxied.world, REGIONAL);
      expect(link.startsWith('https://console.cur.example.ru/login?token=')).toBe(true);
      const token = new URL(link).searchParams.get('token')!;
      const response = await new ConsoleClient(proxied.base).post('/login', { token }, { csrf: false });
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^__Host-otklik_session=/);
      expect(cookie).toMatch(/Secure/);
    } finally {
      await proxied.world.stop();
    }
  }, 30_000);
});
