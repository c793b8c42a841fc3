import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VkAttachmentSpec } from '../../../src/emulator/vk/vk-media.js';
import { MODERATORS_CHAT, REGIONAL, SOSNOVKA_GROUP, SOSNOVKA_MOD, type World, ZARECHENSK_GROUP, ZARECHENSK_MOD } from '../moderation/world.js';
import { type ConsoleClient, signedIn, startConsoleWorld } from './console-world.js';

/**
 * Working incidents in the console over HTTP: the table, the card, actions and bulk actions, and
 * what the citizens' threads and the moderators' chat get — the same as from the chat commands.
 */
describe('console work over HTTP', () => {
  let world: World;
  let base: string;
  let regional: ConsoleClient;
  let zarechensk: ConsoleClient;
  let sosnovka: ConsoleClient;
  const comments = new Map<string, { commentId: number; incident: number; group: number }>();
  const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> «Нет света» & ещё';

  async function report(
    name: string,
    group: number,
    citizen: number,
    text: string,
    topic: 'housing' | 'roads' | 'waste',
    street: string | null,
    urgency: 'emergency' | 'normal' = 'normal',
    attachments?: VkAttachmentSpec[],
  ) {
    world.detector.appeal(text, topic, street ? { municipalityId: group === ZARECHENSK_GROUP ? 'zarechensk' : 'sosnovka', street } : null, urgency);
    const commentId = await world.comment(group, citizen, text, undefined, attachments);
    comments.set(name, { commentId, incident: world.incidentOf('vk_comment', `-${group}_${commentId}`), group });
  }
  const incident = (name: string) => comments.get(name)!.incident;
  const replies = (name: string) => world.vkReplies(comments.get(name)!.group, comments.get(name)!.commentId);

  beforeAll(async () => {
    ({ world, base } = await startConsoleWorld({ console: { bulkMax: 5 } }));
    // One outage three people report (linked to one incident), and other problems.
    await report('outage', ZARECHENSK_GROUP, 400001, 'На Лесной 5 нет воды с утра', 'housing', 'Лесная', 'emergency');
    await report('outage2', ZARECHENSK_GROUP, 400002, 'Лесная улица без воды, когда дадут?', 'housing', 'Лесная', 'emergency');
    await report('outage3', ZARECHENSK_GROUP, 400003, 'У нас на Лесной тоже нет воды', 'housing', 'Лесная', 'emergency');
    await report('hostile', ZARECHENSK_GROUP, 400004, hostile, 'housing', null);
    await report('road', ZARECHENSK_GROUP, 400005, 'Яма на дороге у школы, колёса бьём', 'roads', null, 'normal', [
      { type: 'photo' },
      { type: 'doc', title: 'акт.pdf' },
    ]);
    for (let i = 0; i < 11; i++) await report(`waste${i}`, ZARECHENSK_GROUP, 400100 + i, `Мусор не вывозят, двор ${i}`, 'waste', null);
    await report('sosnovka', SOSNOVKA_GROUP, 400200, 'В Сосновке не чистят дорогу, тайная подробность', 'roads', null);
    regional = await signedIn(world, base, REGIONAL);
    zarechensk = await signedIn(world, base, ZARECHENSK_MOD);
    sosnovka = await signedIn(world, base, SOSNOVKA_MOD);
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should link the outage reports to one incident', () => {
    expect(incident('outage2')).toBe(incident('outage'));
    expect(incident('outage3')).toBe(incident('outage'));
  });

  it('should show the table with counts and pages, filtered and sorted by the URL, within the moderator scope', async () => {
    const all = await regional.page('/incidents');
    expect(all.html).toContain('Показаны 1–10 из 15');
    expect(all.html).toContain('Страница 1 из 2');
    const second = await regional.page('/incidents?page=2');
    expect(second.html).toContain('Показаны 11–15 из 15');
    const urgent = await regional.page('/incidents?urgency=emergency');
    expect(urgent.html).toContain('из 1');
    expect(urgent.html).toContain(`href="/incidents/${incident('outage')}"`);
    const text = await regional.page(`/incidents?q=${encodeURIComponent('колёса')}`);
    expect(text.html).toContain('из 1');
    expect(text.html).toContain(`/incidents/${incident('road')}"`);
    // The trigram index finds any 3+ letters regardless of case, Cyrillic included (LIKE would not).
    expect((await regional.page(`/incidents?q=${encodeURIComponent('ЯМА НА')}`)).html).toContain(`/incidents/${incident('road')}"`);
    expect((await regional.page(`/incidents?q=${encodeURIComponent('"); DROP')}`)).status).toBe(200);
    const byTopic = await regional.page('/incidents?topic=waste&sort=id&dir=asc');
    expect(byTopic.html).toContain('из 11');
    expect(byTopic.html.indexOf(`/incidents/${incident('waste0')}"`)).toBeLessThan(byTopic.html.indexOf(`/incidents/${incident('waste1')}"`));
    expect(byTopic.html).toContain('aria-sort="ascending"');
    // A hand-written URL with nonsense shows the default view, never an error.
    expect((await regional.page('/incidents?status=%3Cb%3E&page=-4&sort=drop&due=x')).status).toBe(200);
    for (const sort of ['status', 'urgency', 'due', 'municipality', 'updated'])
      expect((await regional.page(`/incidents?status=all&sort=${sort}&dir=asc`)).status, sort).toBe(200);

    const own = await sosnovka.page('/incidents');
    expect(own.html).toContain('Показаны 1–1 из 1');
    expect(own.html).not.toContain('Лесной');
    // A municipality in the URL does not widen a municipal moderator's scope.
    expect((await sosnovka.page('/incidents?municipality=zarechensk')).html).toContain('из 1');
  });

  it("should show the citizen's photos and documents on the card, VK ones as links to their address", async () => {
    const media = JSON.parse(
      String(
        (
          world.app.db.prepare('SELECT media_json FROM messages WHERE external_id = ?').get(`-${ZARECHENSK_GROUP}_${comments.get('road')!.commentId}`) as {
            media_json: string;
          }
        ).media_json,
      ),
    ) as { attachments: { url: string }[] };
    const card = await regional.page(`/incidents/${incident('road')}`);
    for (const { url } of media.attachments) expect(card.html).toContain(`href="${url}"`);
    expect(card.html).toMatch(/class="attachment"[^>]*>фото</);
    expect(card.html).toContain('документ «акт.pdf»');
  });

  it("should escape citizens' text in the table and on the card", async () => {
    for (const page of [await regional.page('/incidents?topic=housing'), await regional.page(`/incidents/${incident('hostile')}`)]) {
      expect(page.html).not.toContain('<script>alert');
      expect(page.html).not.toContain('<img src=x');
      expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it("should refuse a municipal moderator another municipality's incident by URL, by action and in bulk", async () => {
    const target = incident('road');
    const card = await sosnovka.page(`/incidents/${target}`);
    expect(card.status).toBe(403);
    expect(card.html).not.toContain('Яма на дороге');
    expect((await sosnovka.page('/incidents/999999')).status).toBe(404);
    const action = await sosnovka.post(`/incidents/${target}/action`, { action: 'answer', text: 'Отремонтируем' });
    expect(action.status).toBe(403);
    const bulk = await sosnovka.post('/incidents/bulk', { action: 'answer', text: 'Отремонтируем', scope: 'selected', id: [String(target)], view: '' });
    expect(await bulk.text()).toContain('другому муниципалитету');
    expect(world.status(target)).toBe('new');
    expect(replies('road')).toHaveLength(1);
  });

  it("should refuse an action without the CSRF token or with another session's", async () => {
    const target = incident('road');
    expect((await zarechensk.post(`/incidents/${target}/action`, { action: 'accept' }, { csrf: false })).status).toBe(403);
    expect((await zarechensk.post(`/incidents/${target}/action`, { action: 'accept' }, { csrf: regional.csrf })).status).toBe(403);
    expect((await zarechensk.post('/incidents/bulk', { action: 'accept', scope: 'filter', view: '' }, { csrf: false })).status).toBe(403);
    expect(world.status(target)).toBe('new');
  });

  it("should answer from the card through the same path as /answer: the state machine, the citizen's thread, the card", async () => {
    const target = incident('road');
    const refused = await zarechensk.post(`/incidents/${target}/action`, { action: 'close' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('/close недоступна');
    const response = await zarechensk.post(`/incidents/${target}/action`, { action: 'answer', text: 'Яму заделают до пятницы.' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ответ отправлен');
    await world.settled();
    expect(world.status(target)).toBe('answered');
    expect(replies('road').at(-1)).toContain('Яму заделают до пятницы.');
    const edits = world.emulator.sent().telegramEdits.filter((e) => e.chatId === MODERATORS_CHAT && e.messageId === world.card(target).messageId);
    expect(edits.at(-1)!.text).toContain('дан ответ — Олег Зареченский');
    const card = await zarechensk.page(`/incidents/${target}`);
    expect(card.html).toContain('Олег Зареченский');
    expect(card.html).toContain('Яму заделают до пятницы.');
    expect(card.html).toContain('доставлено');
  });

  it("should take an incident into a person's work, shown in the console, /list and the card in the chat", async () => {
    const target = incident('waste3');
    const response = await zarechensk.post(`/incidents/${target}/action`, { action: 'take', holder: `tg:${ZARECHENSK_MOD}` });
    expect(response.status).toBe(200);
    await world.settled();
    const mine = await zarechensk.page('/incidents?holder=me');
    expect(mine.html).toContain('из 1');
    expect(mine.html).toContain('Мои в работе (1)');
    expect(await world.command(REGIONAL, '/list мусор')).toContain(`№${target} · новое · мусор · Городской округ Зареченск · у Олег Зареченский`);
    const edit = world.emulator
      .sent()
      .telegramEdits.filter((e) => e.messageId === world.card(target).messageId)
      .at(-1)!;
    expect(edit.text).toContain('В работе у: Олег Зареченский');
    // A person without rights on the incident cannot be made its holder.
    const wrong = await regional.post(`/incidents/${target}/action`, { action: 'take', holder: `tg:${SOSNOVKA_MOD}` });
    expect(await wrong.text()).toContain('не может вести');
    // The chat command does the same.
    expect(await world.command(REGIONAL, `/take ${incident('waste4')}`)).toContain('теперь у вас в работе');
    expect((await regional.page('/incidents?holder=me')).html).toContain(`/incidents/${incident('waste4')}"`);
  });

  it('should change the topic from the card and by /topic, with the event in the history', async () => {
    const target = incident('waste5');
    expect((await zarechensk.post(`/incidents/${target}/action`, { action: 'topic', topic: 'nope' })).status).toBe(409);
    expect((await zarechensk.post(`/incidents/${target}/action`, { action: 'topic', topic: 'improvement' })).status).toBe(200);
    expect((await zarechensk.page(`/incidents/${target}`)).html).toContain('тема: мусор → благоустройство');
    expect(await world.command(ZARECHENSK_MOD, `/topic ${target} дороги`)).toContain('тема изменена');
    expect((world.app.db.prepare('SELECT topic FROM incidents WHERE id = ?').get(target) as { topic: string }).topic).toBe('roads');
  });

  it("should answer every incident a filter matches at once, and every linked report's thread gets the answer once", async () => {
    const before = ['outage', 'outage2', 'outage3', 'waste0', 'waste1'].map((n) => replies(n).length);
    const response = await regional.post('/incidents/bulk', {
      action: 'answer',
      text: 'Подачу воды восстановят к 18:00.',
      scope: 'filter',
      view: 'urgency=emergency',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Выполнено: 1 из 1');
    await world.settled();
    for (const name of ['outage', 'outage2', 'outage3']) expect(replies(name).filter((r) => r.includes('Подачу воды восстановят'))).toHaveLength(1);
    const selected = await regional.post('/incidents/bulk', {
      action: 'answer',
      text: 'Вывоз мусора по графику с понедельника.',
      scope: 'selected',
      id: [String(incident('waste0')), String(incident('waste1'))],
      view: 'topic=waste',
    });
    expect(await selected.text()).toContain('Выполнено: 2 из 2');
    await world.settled();
    expect(replies('waste0').length).toBe(before[3]! + 1);
    expect(replies('waste1').at(-1)).toContain('Вывоз мусора по графику');
    expect(world.status(incident('waste2'))).toBe('new');
    // Nothing picked: a clear refusal.
    expect((await regional.post('/incidents/bulk', { action: 'answer', text: 'x', scope: 'selected', view: '' })).status).toBe(400);
  });

  it('should export a view as CSV for Russian Excel within the moderator scope', async () => {
    const response = await sosnovka.get('/incidents.csv?status=all');
    expect(response.headers.get('content-type')).toContain('text/csv');
    const body = await response.text();
    // fetch's text() drops the BOM; the header line is `;`-separated Russian.
    expect(body.startsWith('Номер;Зарегистрировано;Канал;')).toBe(true);
    expect(body).toContain('тайная подробность');
    expect(body).not.toContain('Лесной');
    expect(body).toContain(';новое;');
    const bytes = new Uint8Array(await (await sosnovka.get('/incidents.csv')).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('should show the dashboard with SLA figures per municipality and department that drill down to the incidents', async () => {
    const page = await regional.page('/dashboard');
    expect(page.status).toBe(200);
    expect(page.html).toContain('По муниципалитетам');
    expect(page.html).toContain('Городской округ Зареченск');
    expect(page.html).toMatch(
      /href="\/incidents\?status=all&amp;kind=complaint&amp;from=\d{4}-\d{2}-01&amp;to=\d{4}-\d{2}-\d{2}&amp;municipality=zarechensk">14</,
    );
    const own = await sosnovka.page('/dashboard');
    expect(own.html).not.toContain('Городской округ Зареченск');
    const csv = await (await regional.get('/dashboard.csv')).text();
    expect(csv).toContain('По муниципалитетам;Городской округ Зареченск;14;');
  });

  it('should filter, show, export and correct the problem, the URL carrying the filter', async () => {
    const text = world.detector.appeal(
      'На Садовой 2 нет горячей воды',
      'housing',
      { municipalityId: 'zarechensk', street: 'Садовая' },
      'normal',
      'no_hot_water',
    );
    const commentId = await world.comment(ZARECHENSK_GROUP, 400300, text);
    const hot = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
    const table = await zarechensk.page('/incidents?problem=no_hot_water');
    expect(table.html).toContain('из 1');
    expect(table.html).toContain('<td>ЖКХ · Нет горячей воды</td>');
    expect(table.html).toContain('<option value="no_hot_water" selected>Нет горячей воды</option>');
    // An unknown problem in a hand-edited URL filters nothing, as any unknown value.
    expect((await zarechensk.page('/incidents?problem=weather')).html).not.toContain('value="weather"');
    const csv = await (await zarechensk.get('/incidents.csv?problem=no_hot_water')).text();
    expect(csv.split('\n')[0]).toContain(';Тема;Проблема;');
    expect(csv).toContain(';ЖКХ;Нет горячей воды;');
    // The card: the problem shown, and a select of topics and problems to correct it.
    const card = await zarechensk.page(`/incidents/${hot}`);
    expect(card.html).toContain('<dd>ЖКХ · Нет горячей воды');
    expect(card.html).toContain('<option value="housing">ЖКХ — без проблемы</option>');
    expect((await zarechensk.post(`/incidents/${hot}/action`, { action: 'topic', topic: 'lift' })).status).toBe(200);
    expect((await zarechensk.page(`/incidents/${hot}`)).html).toContain('тема: ЖКХ · Нет горячей воды → ЖКХ · Лифт');
    // The topic alone, chosen in the card's select, leaves the incident without a problem.
    expect((await zarechensk.post(`/incidents/${hot}/action`, { action: 'topic', topic: 'housing' })).status).toBe(200);
    expect(world.app.db.prepare('SELECT topic, problem FROM incidents WHERE id = ?').get(hot)).toEqual({ topic: 'housing', problem: null });
  });

  it('should tell questions from complaints: a kind filter and column, and the dashboard counts them apart', async () => {
    const asked = await world.telegram(400300, 400300, 'Подскажите, где можно получить справку о составе семьи?');
    const question = world.incidentOf('telegram', `400300_${asked}`);
    const questions = await regional.page('/incidents?kind=question');
    expect(questions.html).toContain('из 1');
    expect(questions.html).toMatch(new RegExp(`/incidents/${question}">№${question}</a></td>\\s*<td>новое</td>\\s*<td>вопрос</td>`));
    expect((await regional.page('/incidents?kind=complaint')).html).not.toContain(`/incidents/${question}"`);
    const dashboard = await regional.page('/dashboard');
    expect(dashboard.html).toMatch(/Вопросов за период[^<]*<a href="[^"]*kind=question[^"]*">1<\/a>/);
  });

  it('should assign and hand over in bulk from selects, and say when a run over a filter stopped at console.bulkMax', async () => {
    const form = (await zarechensk.page('/incidents?topic=waste')).html.split('id="bulk"')[1]!;
    expect(form).toMatch(/<select name="department">.*<option value="zar-blago">Отдел благоустройства Зареченска<\/option>/s);
    expect(form).toMatch(/<select name="holder">.*<option value="tg:9002">Олег Зареченский<\/option>/s);
    const ids = (names: string[]) => names.map((n) => String(incident(n)));
    const assigned = await zarechensk.post('/incidents/bulk', {
      action: 'assign',
      department: 'zar-blago',
      scope: 'selected',
      id: ids(['waste6', 'waste7']),
      view: 'topic=waste',
    });
    expect(await assigned.text()).toContain('Выполнено: 2 из 2');
    const taken = await regional.post('/incidents/bulk', {
      action: 'take',
      holder: `tg:${ZARECHENSK_MOD}`,
      scope: 'selected',
      id: ids(['waste8', 'waste9']),
      view: 'topic=waste',
    });
    expect(await taken.text()).toContain('Выполнено: 2 из 2');
    const row = (name: string) => world.app.db.prepare('SELECT department_id, holder_name FROM incidents WHERE id = ?').get(incident(name));
    expect([row('waste6'), row('waste7')]).toEqual([
      expect.objectContaining({ department_id: 'zar-blago' }),
      expect.objectContaining({ department_id: 'zar-blago' }),
    ]);
    expect([row('waste8'), row('waste9')]).toEqual([
      expect.objectContaining({ holder_name: 'Олег Зареченский' }),
      expect.objectContaining({ holder_name: 'Олег Зареченский' }),
    ]);

    // Ten waste incidents match; a run changes five (console.bulkMax) and says so.
    const capped = await regional.post('/incidents/bulk', { action: 'note', text: 'Проверить график вывоза', scope: 'filter', view: 'status=all&topic=waste' });
    const notice = await capped.text();
    expect(notice).toContain('Выполнено: 5 из 5');
    expect(notice).toContain('больше, чем можно изменить за раз (5)');
    const noted = world.app.db.prepare("SELECT COUNT(DISTINCT incident_id) AS n FROM incident_events WHERE action = 'note'").get() as { n: number };
    expect(noted.n).toBe(5);
  });
});
