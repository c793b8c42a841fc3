import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONAL, SOSNOVKA_MOD, type World, ZARECHENSK_GROUP } from '../moderation/world.js';
import { startConsoleWorld, telegramLoginLink } from './console-world.js';

/**
 * The console in a real browser: Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, one browser for the file, through the emulator — sign in by the link the bot
 * sent, filter, open a card, answer, bulk-answer, and the citizens' threads get the replies.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** axe-core, the accessibility rules engine, from its npm package: evaluated in the page (the console's CSP would refuse a script tag). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
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

  it("should answer the selected incidents at once, and each citizen's thread gets the answer", async () => {
    await page.goto(`${base}/incidents?topic=waste`);
    for (const name of ['bins1', 'bins2']) await page.getByLabel(`Выбрать обращение №${threads.get(name)!.incident}`).check();
    await page.getByLabel('Действие').selectOption('answer');
    await page.getByLabel('Текст (ответ, причина или заметка)').fill('Контейнеры вывезут сегодня до 20:00.');
    await page.getByRole('button', { name: 'Выполнить' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Выполнено: 2 из 2');
    await world.settled();
    for (const name of ['bins1', 'bins2']) expect(replies(name).at(-1)).toContain('Контейнеры вывезут сегодня');
  });

  it("should show a citizen's markup as text and run none of it", async () => {
    await page.goto(`${base}/incidents/${threads.get('hostile')!.incident}`);
    expect(await page.locator('.thread .text').first().textContent()).toBe(hostile);
    await page.goto(`${base}/incidents?topic=housing`);
    expect(await page.locator('td.text', { hasText: 'Нет света' }).textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("should refuse a municipal moderator another municipality's incident by URL, and a form without its CSRF token", async () => {
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

  /** axe-core's WCAG 2 A and AA rules on the page as it is now: the ids of the rules it breaks, with where. */
  async function axeViolations(): Promise<string[]> {
    await page.evaluate(AXE);
    return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
      .then((result) => result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  }

  it("should break none of axe-core's WCAG 2 A/AA rules on the table, a card and the dashboard", async () => {
    await signIn(REGIONAL);
    for (const path of ['/incidents', `/incidents/${threads.get('water')!.incident}`, '/dashboard']) {
      await page.goto(`${base}${path}`);
      expect(await axeViolations(), path).toEqual([]);
    }
  });

  it('should be usable with the keyboard alone: a skip link first, a visible focus, filters and the row boxes by keys', async () => {
    await page.goto(`${base}/incidents`);
    await page.keyboard.press('Tab');
    const focused = (what: string) => page.evaluate<string | undefined>(`document.activeElement?.${what}`);
    expect(await focused('textContent')).toBe('К содержанию');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#main$/);
    // From the skip target the next stop is the first filter, with the focus ring drawn.
    await page.keyboard.press('Tab');
    expect(await focused('name')).toBe('status');
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    // Tab to «Вид» and pick «жалоба» with an arrow key: the view follows.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/kind=complaint/);
    const box = page.getByLabel(`Выбрать обращение №${threads.get('pothole')!.incident}`);
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    // The dashboard's day × topic table opens from the keyboard.
    await page.goto(`${base}/dashboard`);
    await page.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('details').getAttribute('open')).not.toBeNull();
  });

  it('should fit a phone 375 px wide: no page scrolls sideways (wide tables scroll in their own box), and the filters work', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      for (const path of ['/incidents', `/incidents/${threads.get('water')!.incident}`, '/dashboard']) {
        await page.goto(`${base}${path}`);
        // On failure: what sticks out, outside the boxes that scroll on their own.
        const wide = await page.evaluate<string[]>(
          `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 376 && !e.closest('.scroll')).map((e) => e.tagName + '.' + e.className + '#' + (e.getAttribute('name') || '') + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)`,
        );
        expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${path} ${wide.join(' | ')}`).toBeLessThanOrEqual(375);
      }
      await page.goto(`${base}/incidents`);
      await page.getByLabel('Тема').selectOption('roads');
      await page.waitForURL(/topic=roads/);
      await expect.poll(() => page.getByRole('link', { name: `№${threads.get('pothole')!.incident}` }).isVisible()).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('should show a spike place from the detector on the dashboard as text and run none of it', async () => {
    const stores = world.app.stores;
    const now = Date.now();
    const spike = stores.spikes.open(
      {
        scopeKey: 'housing|zarechensk|x',
        topic: 'housing',
        problem: null,
        municipalityId: 'zarechensk',
        place: hostile,
        windowHours: 3,
        count: 2,
        expected: 0.1,
        pValue: 0.001,
      },
      now,
    );
    stores.spikes.link(spike, [threads.get('hostile')!.incident], now);
    await page.goto(`${base}/dashboard`);
    expect(await page.locator('#spikes + ul li').first().textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
