import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONAL, SOSNOVKA_MOD, World, ZARECHENSK_GROUP } from '../moderation/world.js';
import { startConsoleWorld, telegramLoginLink } from './console-world.js';

/**
 * The console in a real browser: Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, one browser for the file, through the emulator — sign in by the link the bot
 * sent, filter, open a card, answer, bulk-answer, and the citizens' threads get the replies.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('console in a browser', () => {
  let world: World;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  const profile = mkdtempSync(join(tmpdir(), 'otklik-chromium-'));
  const threads = new Map<string, { commentId: number; incident: number }>();
  const dialogs: string[] = [];
  const hostile = '<img src=x onerror="window.__pwned=1">Нет света<script>window.__pwned=2</script>';

  async function report(name: string, citizen: number, text: string, topic: 'housing' | 'roads' | 'waste', urgency: 'emergency' | 'normal' = 'normal') {
    world.detector.appeal(text, topic, null, urgency);
    const commentId = await world.comment(ZARECHENSK_GROUP, citizen, text);
    threads.set(name, { commentId, incident: world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`) });
  }
  const replies = (name: string) => world.vkReplies(ZARECHENSK_GROUP, threads.get(name)!.commentId);

  async function signIn(moderatorId: number): Promise<void> {
    await context.clearCookies();
    await page.goto(await telegramLoginLink(world, moderatorId));
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${base}/incidents`);
  }

  beforeAll(async () => {
    ({ world, base } = await startConsoleWorld());
    await report('pothole', 430001, 'Яма у школы на Садовой', 'roads');
    await report('water', 430002, 'Нет воды в доме третий день', 'housing', 'emergency');
    await report('bins1', 430003, 'Не вывозят мусор у первого подъезда', 'waste');
    await report('bins2', 430004, 'Не вывозят мусор у второго подъезда', 'waste');
    await report('hostile', 430005, hostile, 'housing');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await world?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('should sign in by the link, filter the table, open a card and answer the citizen', async () => {
    await signIn(REGIONAL);
    await expect.poll(() => page.locator('p.count').textContent()).toContain('из 5');
    // The filter applies on change (htmx swaps the results and puts the view in the URL).
    await page.getByLabel('Срочность').selectOption('emergency');
    await page.waitForURL(/urgency=emergency/);
    await expect.poll(() => page.locator('p.count').textContent()).toContain('из 1');
    await page.getByRole('link', { name: `№${threads.get('water')!.incident}` }).click();
    await page.waitForURL(`${base}/incidents/${threads.get('water')!.incident}`);
    expect(await page.locator('h1').textContent()).toContain('новое');
    await page.getByLabel('Текст ответа жителю').fill('Аварийная бригада выехала, воду дадут к вечеру.');
    await page.getByRole('button', { name: 'Ответить', exact: true }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('ответ отправлен');
    await world.settled();
    expect(replies('water').at(-1)).toContain('Аварийная бригада выехала');
    expect(await page.locator('h1').textContent()).toContain('дан ответ');
  });

  it('should answer the selected incidents at once, and each citizen\'s thread gets the answer', async () => {
    await page.goto(`${base}/incidents?topic=waste`);
    for (const name of ['bins1', 'bins2']) await page.getByLabel(`Выбрать обращение №${threads.get(name)!.incident}`).check();
    await page.getByLabel('Действие').selectOption('answer');
    await page.getByLabel('Текст (ответ, причина или заметка)').fill('Контейнеры вывезут сегодня до 20:00.');
    await page.getByRole('button', { name: 'Выполнить' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Выполнено: 2 из 2');
    await world.settled();
    for (const name of ['bins1', 'bins2']) expect(replies(name).at(-1)).toContain('Контейнеры вывезут сегодня');
  });

  it('should show a citizen\'s markup as text and run none of it', async () => {
    await page.goto(`${base}/incidents/${threads.get('hostile')!.incident}`);
    expect(await page.locator('.thread .text').first().textContent()).toBe(hostile);
    await page.goto(`${base}/incidents?topic=housing`);
    expect(await page.locator('td.text', { hasText: 'Нет света' }).textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('should refuse a municipal moderator another municipality\'s incident by URL, and a form without its CSRF token', async () => {
    await signIn(SOSNOVKA_MOD);
    const response = await page.goto(`${base}/incidents/${threads.get('pothole')!.incident}`);
    expect(response!.status()).toBe(403);
    expect(await page.content()).not.toContain('Яма у школы');
    const status = await page.evaluate(async (id) => {
      const result = await fetch(`/incidents/${id}/action`, { method: 'POST', body: new URLSearchParams({ action: 'answer', text: 'x' }) });
      return result.status;
    }, threads.get('pothole')!.incident);
    expect(status).toBe(403);
    expect(world.status(threads.get('pothole')!.incident)).toBe('new');
  });
});
