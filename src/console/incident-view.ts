/**
 * The incident table's view as the URL carries it (`/incidents?status=new&urgency=emergency&…`):
 * parsed into a store filter, sorting and page, and written back into links. Values the console
 * does not know are dropped (a hand-edited URL shows the unfiltered view, never an error), and
 * the moderator's scope is applied here, on the server, whatever the URL says.
 */
import type { Config, ModeratorConfig } from '../config.js';
import type { DeadlineOutcome } from '../domain/deadline-running.js';
import type { TopicId, Urgency } from '../domain/detection.js';
import { authorKey } from '../domain/inbound-message.js';
import { INCIDENT_STATUSES, type IncidentStatus, OPEN_STATUSES } from '../domain/incident.js';
import type { DeadlineKind } from '../domain/sla.js';
import { CHANNEL_KINDS, type ChannelKind } from '../domain/thread-ref.js';
import { addDays, zonedTimeToInstant } from '../domain/working-calendar.js';
import { moderatorScope } from '../moderation/permissions.js';
import { type ConsoleFilter, SORT_KEYS, type SortKey } from '../store/console-query-store.js';
import { TOPIC_LABELS } from '../texts.js';

export interface IncidentView {
  filter: ConsoleFilter;
  sort: { key: SortKey; desc: boolean };
  page: number;
  /** The recognised parameters only, for links and the filter form. */
  params: URLSearchParams;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (value: string) => DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Parse a view; `moderator` limits it to what they may see. */
export function parseIncidentView(
  query: URLSearchParams,
  moderator: ModeratorConfig,
  config: Pick<Config, 'municipalities' | 'departments' | 'moderators' | 'region' | 'problems'>,
): IncidentView {
  const filter: ConsoleFilter = {};
  const params = new URLSearchParams();
  const keep = (key: string, value: string) => params.set(key, value);
  const get = (key: string) => (query.get(key) ?? '').trim();

  const scope = moderatorScope(moderator);
  if (scope !== undefined) filter.scopeMunicipalityId = scope;

  const status = get('status');
  if (status === 'open' || status === '') {
    filter.statuses = OPEN_STATUSES;
    if (status === 'open') keep('status', status);
  } else if (status === 'all') keep('status', status);
  else if ((INCIDENT_STATUSES as readonly string[]).includes(status)) {
    filter.statuses = [status as IncidentStatus];
    keep('status', status);
  } else filter.statuses = OPEN_STATUSES;

  const kind = get('kind');
  if (kind === 'complaint' || kind === 'question') {
    filter.kind = kind;
    keep('kind', kind);
  }
  const topic = get('topic');
  if (topic in TOPIC_LABELS) {
    filter.topic = topic as TopicId;
    keep('topic', topic);
  }
  const problem = get('problem');
  if (config.problems.has(problem)) {
    filter.problem = problem;
    keep('problem', problem);
  }
  const urgency = get('urgency');
  if (urgency === 'emergency' || urgency === 'normal') {
    filter.urgency = urgency as Urgency;
    keep('urgency', urgency);
  }
  const municipality = get('municipality');
  if (municipality === 'region') {
    filter.municipalityId = null;
    keep('municipality', municipality);
  } else if (config.municipalities.some((m) => m.id === municipality)) {
    filter.municipalityId = municipality;
    keep('municipality', municipality);
  }
  const department = get('department');
  if (department === 'none') {
    filter.departmentId = null;
    keep('department', department);
  } else if (config.departments.some((d) => d.id === department)) {
    filter.departmentId = department;
    keep('department', department);
  }
  const holder = get('holder');
  if (holder === 'me') filter.holderKey = authorKey(moderator);
  else if (holder === 'none') filter.holderKey = null;
  else if (config.moderators.some((m) => authorKey(m) === holder)) filter.holderKey = holder;
  if (filter.holderKey !== undefined) keep('holder', holder);
  const source = get('source');
  if ((CHANNEL_KINDS as readonly string[]).includes(source)) {
    filter.channel = source as ChannelKind;
    keep('source', source);
  }
  const due = get('due');
  const within = /^(\d{1,3})h$/.exec(due);
  if (due === 'overdue') filter.due = { kind: 'overdue' };
  else if (within && Number(within[1]) >= 1) filter.due = { kind: 'within', hours: Number(within[1]) };
  if (filter.due) keep('due', due);
  // «accept_late», «answer_in_time», …: how they fared against a deadline (the dashboard's percentages).
  const sla = /^(accept|answer)_(in_time|late|pending)$/.exec(get('sla'));
  if (sla) {
    filter.sla = { deadline: sla[1] as DeadlineKind, outcome: sla[2] as DeadlineOutcome };
    keep('sla', sla[0]);
  }
  const reached = get('reached');
  if (reached === 'reaction' || reached === 'answer') {
    filter.reached = reached;
    keep('reached', reached);
  }
  const spike = get('spike');
  if (/^\d{1,12}$/.test(spike)) {
    filter.spikeId = Number(spike);
    keep('spike', spike);
  }
  const tz = config.region.timezone;
  const from = get('from');
  if (validDate(from)) {
    filter.from = zonedTimeToInstant(from, 0, tz);
    keep('from', from);
  }
  const to = get('to');
  if (validDate(to)) {
    filter.to = zonedTimeToInstant(addDays(to, 1), 0, tz);
    keep('to', to);
  }
  const text = get('q').slice(0, 200);
  if (text.length >= 2) {
    filter.text = text;
    keep('q', text);
  }
  const ids = get('ids')
    .split(',')
    .map((s) => Number(s))
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, 5000);
  if (ids.length > 0) {
    filter.ids = ids;
    keep('ids', ids.join(','));
  }

  const sortKey = get('sort');
  const key: SortKey = (SORT_KEYS as readonly string[]).includes(sortKey) ? (sortKey as SortKey) : 'id';
  if (key !== 'id') keep('sort', key);
  const desc = get('dir') !== 'asc';
  if (!desc) keep('dir', 'asc');
  const page = Math.min(Math.max(1, Math.floor(Number(get('page')) || 1)), 100_000);
  if (page > 1) keep('page', String(page));
  return { filter, sort: { key, desc }, page, params };
}

/** The view's URL with some parameters changed (`null` removes one); a new filter starts at page 1. */
export function viewUrl(path: string, params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  if (!('page' in changes)) next.delete('page');
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const qs = next.toString();
  return qs ? `${path}?${qs}` : path;
}
