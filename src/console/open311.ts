/**
 * An open read API over the registry: Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2),
 * JSON only, read only. The services are the problems of the region's taxonomy (`service_code` the
 * problem id, `group` its topic) and the topics themselves, for incidents without a problem; a
 * request carries its problem's code, or its topic's. `new`, `accepted`, `needs_info` and
 * `reopened` are `open`, `answered`, `closed` and `rejected` are `closed`.
 *
 * No personal data leaves: never the citizen's name, id or words (the `description` is the service
 * and the street or settlement, never a house number), and a moderator's words as `status_notes`
 * only when they were posted in a public thread (a VK wall comment, a Telegram group) — an answer
 * in a private dialog may speak of the person. `console.open311.onlyAnswered` publishes only
 * incidents that got an answer.
 */
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import { isTopicId, type PlaceMatch, type TopicId } from '../domain/detection.js';
import { type IncidentStatus, OPEN_STATUSES } from '../domain/incident.js';
import type { ProblemId } from '../domain/problem.js';
import { zonedParts, zoneOffsetMs } from '../domain/working-calendar.js';
import type { ConsoleQueryStore, PublicRequestRow } from '../store/console-query-store.js';
import { municipalityName, statusName, TOPIC_LABELS, topicLabel } from '../texts.js';

export interface Open311Deps {
  config: Config;
  queries: ConsoleQueryStore;
  clock: () => number;
}

const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const CLOSED: readonly IncidentStatus[] = ['answered', 'closed', 'rejected'];
/** The spec's default window when neither start_date nor end_date is given. */
const DEFAULT_DAYS = 90;
const MAX_RESULTS = 1000;

type ErrorBody = { code: number; description: string }[];

/** A w3c date-time in the region's zone: `2026-11-23T10:00:00+03:00`. */
export function w3cDateTime(instant: number, timezone: string): string {
  const p = zonedParts(instant, timezone);
  const two = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = Math.round(zoneOffsetMs(instant, timezone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
}

export class Open311 {
  constructor(private readonly deps: Open311Deps) {}

  mount<E extends object>(app: Hono<E & { Variables: Record<string, unknown> }>): void {
    const base = '/open311/v2';
    const json = (body: unknown, status: 200 | 400 | 404 | 405 = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Access-Control-Allow-Origin': '*' } });
    const error = (status: 400 | 404 | 405, description: string) => json([{ code: status, description }] satisfies ErrorBody, status);
    const jurisdictionOk = (value: string | undefined) => value === undefined || value === '' || value === this.deps.config.console.open311.jurisdictionId;

    app.get(`${base}/discovery.json`, (c) => {
      const url = new URL(c.req.url);
      return json({
        changeset: '2026-12-01T00:00:00Z',
        contact: this.deps.config.region.name,
        key_service: '',
        endpoints: [{ specification: SPEC, url: `${url.origin}${base}`, changeset: '2026-12-01T00:00:00Z', type: 'production', formats: ['application/json'] }],
      });
    });
    app.get(`${base}/services.json`, (c) => {
      if (!jurisdictionOk(c.req.query('jurisdiction_id'))) return error(404, 'unknown jurisdiction_id');
      const service = (code: string, name: string, group: string, keywords: readonly string[]) => ({
        service_code: code,
        service_name: name,
        description: name,
        metadata: false,
        type: 'realtime',
        keywords: keywords.join(','),
        group,
      });
      return json([
        ...this.deps.config.problems.problems.map((p) => service(p.id, p.label, topicLabel(p.topic), p.aliases)),
        ...(Object.keys(TOPIC_LABELS) as TopicId[]).map((topic) => service(topic, topicLabel(topic), topicLabel(topic), [])),
      ]);
    });
    app.get(`${base}/requests.json`, (c) => {
      if (!jurisdictionOk(c.req.query('jurisdiction_id'))) return error(404, 'unknown jurisdiction_id');
      const q = (name: string) => c.req.query(name)?.trim() ?? '';
      const list = (name: string) =>
        q(name)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      const ids = list('service_request_id');
      if (ids.some((id) => !/^\d{1,12}$/.test(id))) return error(400, 'service_request_id must be a comma-separated list of numbers');
      const codes = list('service_code');
      const problems = this.deps.config.problems;
      if (codes.some((code) => !isTopicId(code) && !problems.has(code))) return error(400, 'unknown service_code; the codes are in services.json');
      const statuses = list('status');
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) return error(400, 'status must be open or closed');
      const date = (name: string): number | null | 'bad' => {
        const value = q(name);
        if (value === '') return null;
        const ms = Date.parse(value);
        return Number.isNaN(ms) ? 'bad' : ms;
      };
      const start = date('start_date');
      const end = date('end_date');
      if (start === 'bad' || end === 'bad') return error(400, 'start_date and end_date must be w3c date-times, e.g. 2026-11-01T00:00:00+03:00');
      const now = this.deps.clock();
      const from = start ?? (end === null && ids.length === 0 ? now - DEFAULT_DAYS * 86_400_000 : undefined);
      const wanted = statuses.length === 1 ? (statuses[0] === 'open' ? OPEN_STATUSES : CLOSED) : undefined;
      // Several service codes: one query per code is simpler than an IN over a short list. A topic's code is its incidents without a problem.
      const services: ({ topic: TopicId; problem: null } | { problem: ProblemId } | undefined)[] =
        codes.length > 0 ? codes.map((code) => (isTopicId(code) ? { topic: code, problem: null } : { problem: code as ProblemId })) : [undefined];
      const rows = services
        .flatMap((service) =>
          this.deps.queries.publicRequests({
            ...(ids.length > 0 ? { ids: ids.map(Number) } : {}),
            ...(service ?? {}),
            ...(wanted ? { statuses: wanted } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(end !== null ? { to: end } : {}),
            onlyAnswered: this.deps.config.console.open311.onlyAnswered,
            limit: MAX_RESULTS,
          }),
        )
        .sort((a, b) => b.id - a.id)
        .slice(0, MAX_RESULTS);
      return json(rows.map((row) => this.request(row)));
    });
    app.get(`${base}/requests/:file{[0-9]{1,12}\\.json}`, (c) => {
      if (!jurisdictionOk(c.req.query('jurisdiction_id'))) return error(404, 'unknown jurisdiction_id');
      const id = Number(c.req.param('file').replace('.json', ''));
      const rows = this.deps.queries.publicRequests({ ids: [id], onlyAnswered: this.deps.config.console.open311.onlyAnswered, limit: 1 });
      if (rows.length === 0) return error(404, `service request ${id} not found`);
      return json(rows.map((row) => this.request(row)));
    });
    // Read only: creating requests happens where citizens write, not here.
    app.post(`${base}/requests.json`, () => error(405, 'this endpoint is read only: report a problem in the official communities and chats'));
  }

  private request(row: PublicRequestRow): Record<string, unknown> {
    const { config } = this.deps;
    const tz = config.region.timezone;
    const place = parsePlace(row.placeJson);
    const where = [place?.settlement, place?.street].filter(Boolean).join(', ');
    const municipality = municipalityName(config, row.municipalityId);
    const department = row.departmentId === null ? null : (config.departments.find((d) => d.id === row.departmentId)?.name ?? null);
    const open = OPEN_STATUSES.includes(row.status);
    const note = row.statusNote !== null && row.publicThread ? row.statusNote.slice(0, 1000) : null;
    const service = row.problem === null ? topicLabel(row.topic) : config.problems.label(row.problem);
    const request: Record<string, unknown> = {
      service_request_id: String(row.id),
      status: open ? 'open' : 'closed',
      status_notes: note ? `${statusName(row.status)}: ${note}` : statusName(row.status),
      service_name: service,
      service_code: row.problem ?? row.topic,
      description: [service, where || municipality].join(' — '),
      agency_responsible: department ?? municipality,
      service_notice: '',
      requested_datetime: w3cDateTime(row.createdAt, tz),
      updated_datetime: w3cDateTime(row.updatedAt, tz),
      expected_datetime: open && row.answerDueAt !== null ? w3cDateTime(row.answerDueAt, tz) : null,
      address: [municipality, where].filter(Boolean).join(', '),
      address_id: '',
      zipcode: '',
      media_url: '',
    };
    // A citizen's point, rounded to about 100 m: the block, not the door (as the house number is left out).
    if (row.lat !== null && row.lon !== null) Object.assign(request, { lat: roundTo(row.lat, 3), long: roundTo(row.lon, 3) });
    // An unknown value is left out.
    if (request.expected_datetime === null) delete request.expected_datetime;
    return request;
  }
}

const roundTo = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function parsePlace(json: string | null): PlaceMatch | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as PlaceMatch;
  } catch {
    return null;
  }
}
