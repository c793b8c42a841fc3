/**
 * The read-only moderator commands: /list, /show, /find, /stats. A municipal moderator sees only
 * their municipality's incidents.
 */

import { alertText } from '../../domain/alert-templates.js';
import { type MessageMedia, readMedia } from '../../domain/attachment.js';
import { clipText } from '../../domain/clip-text.js';
import type { Platform } from '../../domain/inbound-message.js';
import { INCIDENT_STATUSES, type IncidentStatus, OPEN_STATUSES } from '../../domain/incident.js';
import { type ModeratorTemplateKey, modText } from '../../domain/moderator-templates.js';
import type { ProblemId } from '../../domain/problem.js';
import { safeText } from '../../domain/safe-text.js';
import { threadLink } from '../../domain/thread-ref.js';
import { mediaLines } from '../../media-texts.js';
import { DETECTOR_WEEK_MS, detectorFeedback } from '../../reports/digest-stats.js';
import { detectorLine, problemList } from '../../reports/digest-text.js';
import { parsePeriod, periodTitle } from '../../reports/period.js';
import { collectStatusCounts } from '../../reports/status-counts.js';
import type { IncidentFilter, StoredIncident } from '../../store/incident-store.js';
import { formatLocal, municipalityName, snippet, statusName, statusPlural, TOPIC_LABELS, topicAndProblem } from '../../texts.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { historyActor, historyWhat } from '../history-line.js';
import { resolveIncident } from '../incident-arg.js';
import { moderatorScope } from '../permissions.js';
import { topicFrom } from '../topic-choice.js';

const LIST_LIMIT = 20;
const FIND_LIMIT = 10;

const STATUS_WORDS: Record<string, readonly IncidentStatus[] | 'all'> = {
  открытые: OPEN_STATUSES,
  open: OPEN_STATUSES,
  все: 'all',
  all: 'all',
};

function statusesFor(word: string): readonly IncidentStatus[] | 'all' | null {
  if (STATUS_WORDS[word]) return STATUS_WORDS[word];
  const status = INCIDENT_STATUSES.find((s) => s === word || statusPlural(s) === word || statusName(s) === word);
  return status ? [status] : null;
}

function line(incident: StoredIncident, deps: ModerationDeps, platform: Platform): string {
  return modText(deps.config, 'mod_list_line', {
    number: incident.id,
    status: statusName(incident.status),
    topic: topicAndProblem(deps.config, incident),
    municipality: municipalityName(deps.config, incident.municipalityId),
    text: safeText(snippet(incident.text, 80), platform),
    holder: incident.holderName ? modText(deps.config, 'mod_list_holder', { name: safeText(incident.holderName, platform) }) : '',
  });
}

/** A plain reply worded by a moderators' template. */
function reply(deps: ModerationDeps, key: ModeratorTemplateKey, values: Record<string, string | number> = {}): CommandReply {
  return plain(modText(deps.config, key, values));
}

function listCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const { moderator } = request;
  const filter: IncidentFilter = { statuses: OPEN_STATUSES };
  const scope = moderatorScope(moderator);
  if (scope !== undefined) filter.scopeMunicipalityId = scope;
  for (const raw of args.split(/\s+/).filter(Boolean)) {
    const word = raw.toLowerCase();
    const statuses = statusesFor(word);
    const topic = topicFrom(word);
    const municipality = deps.config.municipalities.find((m) => m.id === word);
    const problem = deps.config.problems.find(word);
    if (statuses) {
      if (statuses === 'all') delete filter.statuses;
      else filter.statuses = statuses;
    } else if (topic) filter.topic = topic;
    else if (municipality) {
      if (scope !== undefined && municipality.id !== scope) return reply(deps, 'mod_list_own_only');
      filter.municipalityId = municipality.id;
    } else if (word === 'регион' || word === 'region') filter.municipalityId = null;
    else if (problem) filter.problem = problem.id;
    else {
      return reply(deps, 'mod_list_bad_word', {
        given: safeText(clipText(raw, 40), request.platform),
        usage: modText(deps.config, 'mod_usage_list'),
        statuses: INCIDENT_STATUSES.join(', '),
        topics: Object.values(TOPIC_LABELS).join(', '),
        municipalities: deps.config.municipalities.map((m) => m.id).join(', '),
      });
    }
  }
  const found = deps.stores.incidents.list(filter, LIST_LIMIT + 1);
  if (found.length === 0) return reply(deps, 'mod_list_none');
  const count = `${Math.min(found.length, LIST_LIMIT)}${found.length > LIST_LIMIT ? '+' : ''}`;
  const text = modText(deps.config, 'mod_list', {
    count,
    list: found
      .slice(0, LIST_LIMIT)
      .map((i) => line(i, deps, request.platform))
      .join('\n'),
  });
  return plain(found.length > LIST_LIMIT ? `${text}\n${modText(deps.config, 'mod_list_more')}` : text);
}

function showCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const found = resolveIncident(args, modText(deps.config, 'mod_usage_show'), request.moderator, deps);
  if (!found.ok) return found.reply;
  const { incident } = found;
  const q = (text: string) => safeText(text, request.platform);
  const tz = deps.config.region.timezone;
  const department = deps.config.departments.find((d) => d.id === incident.departmentId);
  const events = deps.stores.incidents.events(incident.id).slice(-8);
  // People, not messages: one author who wrote under two posts is one person (as on the card).
  const reporters = deps.stores.incidents.reporterCount(incident.id);
  const link = threadLink(incident.thread);
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}) => modText(deps.config, key, values);
  const created = formatLocal(incident.createdAt, tz);
  const place = { topic: topicAndProblem(deps.config, incident), municipality: municipalityName(deps.config, incident.municipalityId) };
  const lines = [
    t('mod_show_title', { number: incident.id, status: statusName(incident.status) }),
    t(incident.urgency === 'emergency' ? 'mod_show_topic_urgent' : 'mod_show_topic', place),
    department ? t('card_department', { department: q(department.name), code: department.id }) : t('card_no_department'),
    incident.answerDueAt ? t('mod_show_created_due', { created, due: formatLocal(incident.answerDueAt, tz) }) : t('mod_show_created', { created }),
    reporters > 1 ? t('card_reporters', { count: reporters }) : '',
    t('card_text', { text: q(snippet(incident.text, 600)) }),
    link ? t('mod_show_link', { link }) : '',
    ...showMedia(deps.stores.incidents.openingMedia(incident.id), incident, request.platform, deps),
    t('mod_show_history'),
    ...events.flatMap((e) => {
      const event = { at: formatLocal(e.at, tz), actor: q(historyActor(e, deps.config, incident)), what: q(historyWhat(e, deps.config)) };
      const line =
        typeof e.details?.text === 'string' ? t('mod_show_event_text', { ...event, text: q(snippet(e.details.text, 120)) }) : t('mod_show_event', event);
      // What an addition carried: its photos, files, location.
      return [line, ...showMedia(readMedia(e.details?.media), null, request.platform, deps).map((m) => `  ${m}`)];
    }),
  ];
  return plain(lines.filter(Boolean).join('\n'));
}

/** The plain lines about a message's media in a /show reply; the incident's point when the report had none (a location sent later). */
function showMedia(media: MessageMedia, incident: StoredIncident | null, platform: Platform, deps: ModerationDeps): string[] {
  const location = media.location ?? incident?.location ?? null;
  return mediaLines({ ...media, location }, deps.config, {
    format: 'plain',
    platform,
    telegramPhotos: 'count',
    place: incident && location ? incident.place : null,
  });
}

function findCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const text = args.trim();
  if (text.length < 3) return reply(deps, 'mod_find_short', { usage: modText(deps.config, 'mod_usage_find') });
  if (text.length > 200) return reply(deps, 'mod_find_long');
  const scope = moderatorScope(request.moderator);
  const found = deps.stores.incidents.list({ text, ...(scope !== undefined ? { scopeMunicipalityId: scope } : {}) }, FIND_LIMIT);
  if (found.length === 0) return reply(deps, 'mod_find_none', { given: safeText(text, request.platform) });
  return reply(deps, 'mod_find', { limit: FIND_LIMIT, list: found.map((i) => line(i, deps, request.platform)).join('\n') });
}

function statsCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const parsed = parsePeriod(args, deps.clock(), deps.config.region.timezone);
  if (!parsed) return reply(deps, 'mod_bad_period', { given: safeText(clipText(args.trim(), 40), request.platform), command: 'stats' });
  const scope = moderatorScope(request.moderator);
  const counts = collectStatusCounts(deps.stores.incidents, parsed.period, scope);
  const parts = counts.byStatus.map((c) => `${statusPlural(c.status)}: ${c.count}`);
  const where = scope === undefined ? modText(deps.config, 'mod_stats_region') : municipalityName(deps.config, scope);
  const title = periodTitle(deps.config, parsed.span, 'mod_stats_title');
  const total = counts.total;
  const complaints =
    parts.length > 0
      ? modText(deps.config, 'mod_stats', { title, where, total, counts: parts.join(', ') })
      : modText(deps.config, 'mod_stats_none', { title, where, total });
  const { questions } = counts;
  const stats = deps.stores.stats;
  const byProblem = stats.countBy<ProblemId>('problem', parsed.period, scope).flatMap((r) => (r.key === null ? [] : [{ problem: r.key, count: r.count }]));
  const week = detectorFeedback(stats, { from: parsed.period.to - DETECTOR_WEEK_MS, to: parsed.period.to }, scope);
  return plain(
    [
      complaints,
      questions.total > 0 ? modText(deps.config, 'mod_stats_questions', { total: questions.total, answered: questions.answered }) : '',
      byProblem.length > 0 ? alertText(deps.config, 'digest_problems', { list: problemList({ byProblem }, deps.config) }) : '',
      detectorLine(week, deps.config),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export const QUERY_FEATURES: ModeratorFeature[] = [
  { audience: 'moderator', names: ['list'], usage: 'mod_usage_list', run: (r, d) => listCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['show'], usage: 'mod_usage_show', run: (r, d) => showCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['find'], usage: 'mod_usage_find', run: (r, d) => findCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['stats'], usage: 'mod_usage_stats', run: (r, d) => statsCommand(r.command.args, r, d) },
];
