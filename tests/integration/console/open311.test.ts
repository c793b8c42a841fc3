import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONAL, type World, ZARECHENSK_GROUP } from '../moderation/world.js';
import { startConsoleWorld } from './console-world.js';

/**
 * The response shapes of GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the fields each
 * element carries and their types, as the spec's JSON examples and field tables give them.
 */
const W3C = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}([+-]\\d{2}:\\d{2}|Z)$';
const SERVICE_REQUEST = {
  type: 'object',
  required: ['service_request_id', 'status', 'service_code', 'service_name', 'requested_datetime', 'updated_datetime'],
  additionalProperties: false,
  properties: {
    service_request_id: { type: 'string', minLength: 1 },
    status: { enum: ['open', 'closed'] },
    status_notes: { type: 'string' },
    service_name: { type: 'string' },
    service_code: { type: 'string' },
    description: { type: 'string' },
    agency_responsible: { type: 'string' },
    service_notice: { type: 'string' },
    requested_datetime: { type: 'string', pattern: W3C },
    updated_datetime: { type: 'string', pattern: W3C },
    expected_datetime: { type: 'string', pattern: W3C },
    address: { type: 'string' },
    address_id: { type: 'string' },
    zipcode: { type: 'string' },
    lat: { type: 'number' },
    long: { type: 'number' },
    media_url: { type: 'string' },
  },
};
const SCHEMAS = {
  discovery: {
    type: 'object',
    required: ['changeset', 'contact', 'endpoints'],
    properties: {
      changeset: { type: 'string' },
      contact: { type: 'string' },
      key_service: { type: 'string' },
      endpoints: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['specification', 'url', 'changeset', 'type', 'formats'],
          properties: {
            specification: { const: 'http://wiki.open311.org/GeoReport_v2' },
            url: { type: 'string' },
            changeset: { type: 'string' },
            type: { enum: ['production', 'test'] },
            formats: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  services: {
    type: 'array',
    items: {
      type: 'object',
      required: ['service_code', 'service_name', 'metadata', 'type'],
      properties: {
        service_code: { type: 'string' },
        service_name: { type: 'string' },
        description: { type: 'string' },
        metadata: { type: 'boolean' },
        type: { enum: ['realtime', 'batch', 'blackbox'] },
        keywords: { type: 'string' },
        group: { type: 'string' },
      },
    },
  },
  requests: { type: 'array', items: SERVICE_REQUEST },
  errors: {
    type: 'array',
    minItems: 1,
    items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } },
  },
};

describe('Open311 GeoReport v2 read API', () => {
  let world: World;
  let base: string;
  let wallIncident: number;
  let privateIncident: number;
  let openIncident: number;
  let question: number;
  const ajv = new Ajv({ allErrors: true });
  const check = (schema: keyof typeof SCHEMAS, body: unknown) => {
    const validate = ajv.compile(SCHEMAS[schema]);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  };
  const get = async (path: string) => {
    const response = await fetch(`${base}/open311/v2${path}`);
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    ({ world, base } = await startConsoleWorld());
    const wall = world.detector.appeal('На улице Лесной яма, Пётр Иванов с кв. 5 чуть не упал', 'roads', {
      municipalityId: 'zarechensk',
      street: 'Лесная',
      house: '5',
    });
    const commentId = await world.comment(ZARECHENSK_GROUP, 410001, wall);
    wallIncident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
    await world.command(REGIONAL, `/answer ${wallIncident} Яму заделают до пятницы.`);
    const dialog = world.detector.appeal('Меня зовут Мария, в квартире 12 нет отопления', 'housing');
    await world.vkDialog(ZARECHENSK_GROUP, 410002, dialog, { geo: { latitude: 56.90341, longitude: 40.50717 } });
    privateIncident = (world.app.db.prepare('SELECT MAX(id) AS id FROM incidents').get() as { id: number }).id;
    await world.command(REGIONAL, `/answer ${privateIncident} Мария, мастер придёт к вам в квартиру 12 завтра.`);
    const open = world.detector.appeal(
      'Не вывозят мусор во дворе на Садовой',
      'waste',
      { municipalityId: 'zarechensk', street: 'Садовая' },
      'normal',
      'waste_not_collected',
    );
    const openComment = await world.comment(ZARECHENSK_GROUP, 410003, open);
    openIncident = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${openComment}`);
    const asked = await world.telegram(410004, 410004, 'Подскажите, где можно получить справку о составе семьи?');
    question = world.incidentOf('telegram', `410004_${asked}`);
  }, 30_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('should answer discovery and services as the spec describes, problems and topics as services', async () => {
    const discovery = await get('/discovery.json');
    expect(discovery.type).toContain('application/json');
    check('discovery', discovery.body);
    expect((discovery.body as { endpoints: { url: string }[] }).endpoints[0]!.url).toBe(`${base}/open311/v2`);
    const services = await get('/services.json?jurisdiction_id=otklik');
    check('services', services.body);
    expect(services.body).toContainEqual(expect.objectContaining({ service_code: 'roads', service_name: 'дороги' }));
    expect(services.body).toContainEqual(
      expect.objectContaining({ service_code: 'no_hot_water', service_name: 'Нет горячей воды', group: 'ЖКХ', keywords: 'горячая вода,гвс' }),
    );
    expect((await get('/services.json?jurisdiction_id=elsewhere')).status).toBe(404);
  });

  it('should list requests with open/closed statuses, status notes and no personal data', async () => {
    const all = await get('/requests.json');
    check('requests', all.body);
    const list = all.body as Record<string, string>[];
    expect(list.map((r) => r.service_request_id)).toEqual([openIncident, privateIncident, wallIncident].map(String));
    const wall = list.find((r) => r.service_request_id === String(wallIncident))!;
    expect(wall).toMatchObject({
      status: 'closed',
      service_code: 'roads',
      status_notes: 'дан ответ: Яму заделают до пятницы.',
      address: 'Городской округ Зареченск, Лесная',
    });
    const open = list.find((r) => r.service_request_id === String(openIncident))!;
    expect(open).toMatchObject({
      status: 'open',
      service_code: 'waste_not_collected',
      service_name: 'Не вывозят мусор',
      description: 'Не вывозят мусор — Садовая',
    });
    expect(open.expected_datetime).toMatch(/\+03:00$/);
    // The location the citizen sent: the street it named, and the point rounded to the block.
    expect(list.find((r) => r.service_request_id === String(privateIncident))).toMatchObject({
      lat: 56.903,
      long: 40.507,
      address: 'Городской округ Зареченск, Зареченск, Советская',
    });
    const text = JSON.stringify(all.body);
    // Neither the citizens' words, names, house or flat numbers, the exact point, nor an answer given in a private dialog.
    for (const secret of ['Пётр', 'Иванов', 'кв. 5', 'Мария', 'квартир', 'Житель', '410001', 'vk:', 'мастер придёт', '56.9034', '40.5071'])
      expect(text, secret).not.toContain(secret);
  });

  it('should publish complaints only: a question asks for information, it is no service request', async () => {
    expect(world.app.db.prepare('SELECT kind FROM incidents WHERE id = ?').get(question)).toEqual({ kind: 'question' });
    expect(((await get('/requests.json')).body as { service_request_id: string }[]).map((r) => r.service_request_id)).not.toContain(String(question));
    expect((await get(`/requests/${question}.json`)).status).toBe(404);
  });

  it('should filter by service_code, status, dates and ids, and return one request by id', async () => {
    expect((await get('/requests.json?service_code=waste_not_collected')).body).toHaveLength(1);
    expect((await get('/requests.json?service_code=waste_not_collected,roads')).body).toHaveLength(2);
    // A topic's code is its requests without a problem, as each request carries one code.
    expect((await get('/requests.json?service_code=waste')).body).toHaveLength(0);
    expect(((await get('/requests.json?status=open')).body as { service_request_id: string }[]).map((r) => r.service_request_id)).toEqual([
      String(openIncident),
    ]);
    expect((await get('/requests.json?status=closed')).body).toHaveLength(2);
    expect((await get(`/requests.json?service_request_id=${wallIncident},${openIncident}`)).body).toHaveLength(2);
    expect((await get('/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-01-02T00:00:00Z')).body).toEqual([]);
    expect((await get('/requests.json?end_date=2999-01-01T00:00:00%2B03:00')).body).toHaveLength(3);
    const one = await get(`/requests/${wallIncident}.json`);
    check('requests', one.body);
    expect(one.body).toHaveLength(1);
  });

  it("should refuse bad parameters, unknown ids and writes with the spec's error array", async () => {
    for (const path of [
      '/requests.json?status=pending',
      '/requests.json?service_code=nope',
      '/requests.json?start_date=yesterday',
      '/requests.json?service_request_id=1;DROP',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      check('errors', response.body);
    }
    const missing = await get('/requests/999999.json');
    expect(missing.status).toBe(404);
    check('errors', missing.body);
    const post = await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', body: 'service_code=roads' });
    expect(post.status).toBe(405);
  });
});

describe('Open311 with only answered incidents published', () => {
  it('should leave unanswered incidents out of lists and by id', async () => {
    const { world, base } = await startConsoleWorld({ console: { open311: { onlyAnswered: true } } });
    try {
      const open = world.detector.appeal('Не горит фонарь на Садовой', 'improvement', { municipalityId: 'zarechensk', street: 'Садовая' });
      const commentId = await world.comment(ZARECHENSK_GROUP, 420001, open);
      const id = world.incidentOf('vk_comment', `-${ZARECHENSK_GROUP}_${commentId}`);
      expect(await (await fetch(`${base}/open311/v2/requests.json`)).json()).toEqual([]);
      expect((await fetch(`${base}/open311/v2/requests/${id}.json`)).status).toBe(404);
      await world.command(REGIONAL, `/answer ${id} Фонарь заменят сегодня.`);
      expect(await (await fetch(`${base}/open311/v2/requests.json`)).json()).toHaveLength(1);
    } finally {
      await world.stop();
    }
  }, 30_000);
});
