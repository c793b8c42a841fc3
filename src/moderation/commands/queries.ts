/**
 * The read-only moderator commands: /list, /show, /find, /stats. A municipal moderator sees only
 * their municipality's incidents.
 */
import { INCIDENT_STATUSES, type IncidentStatus, OPEN_STATUSES } from '../../domain/incident.js';
import { threadLink } from '../../domain/thread-ref.js';
import { formatLocal, municipalityName, snippet, STATUS_LABELS, TOPIC_LABELS, topicLabel } from '../../jobs/format.js';
import type { IncidentFilter, StoredIncident } from '../../store/incident-store.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { resolveIncident } from '../incident-arg.js';
import { STATUS_NAMES } from '../incident-card.js';
import { moderatorScope } from '../permissions.js';
import { clipText } from '../../domain/clip-text.js';
import { safeText } from '../../domain/safe-text.js';
import { topicFrom } from './announce.js';
import { parsePeriod, REPORT_USAGE } from './report.js';

const LIST_LIMIT = 20;
const FIND_LIMIT = 10;

const LIST_USAGE = '/list [статус] [тема] [МО] — обращения, по умолчанию открытые (статус: открытые, все, new, accepted…; тема: ЖКХ, дороги…)';
const SHOW_USAGE = '/show N — карточка обращения и его история';
const FIND_USAGE = '/find текст — поиск по тексту обращений';
const STATS_USAGE = '/stats [период] — число обращений по статусам (период: сегодня, вчера, неделя, месяц, 7d, 2026-11-01..2026-11-30)';

const STATUS_WORDS: Record<string, readonly IncidentStatus[] | 'all'> = {
  открытые: OPEN_STATUSES,
  open: OPEN_STATUSES,
  все: 'all',
  all: 'all',
};

function statusesFor(word: string): readonly IncidentStatus[] | 'all' | null {
  if (STATUS_WORDS[word]) return STATUS_WORDS[word];
  const status = INCIDENT_STATUSES.find((s) => s === word || STATUS_LABELS[s] === word || STATUS_NAMES[s] === word);
  return status ? [status] : null;
}

function line(incident: StoredIncident, deps: ModerationDeps, platform: 'telegram' | 'vk'): string {
  return `№${incident.id} · ${STATUS_NAMES[incident.status]} · ${topicLabel(incident.topic)} · ${municipalityName(deps.config, incident.municipalityId)} · «${safeText(snippet(incident.text, 80), platform)}»`;
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
    if (statuses) {
      if (statuses === 'all') delete filter.statuses;
      else filter.statuses = statuses;
    } else if (topic) filter.topic = topic;
    else if (municipality) {
      if (scope !== undefined && municipality.id !== scope) return plain('Вы можете смотреть только обращения своего муниципалитета.');
      filter.municipalityId = municipality.id;
    } else if (word === 'регион' || word === 'region') filter.municipalityId = null;
    else {
      return plain(
        `Не понял «${safeText(clipText(raw, 40), request.platform)}». Использование: ${LIST_USAGE}\n` +
          `Статусы: открытые, все, ${INCIDENT_STATUSES.join(', ')}\nТемы: ${Object.values(TOPIC_LABELS).join(', ')}\n` +
          `МО: ${deps.config.municipalities.map((m) => m.id).join(', ')}, регион`,
      );
    }
  }
  const found = deps.incidents.store.list(filter, LIST_LIMIT + 1);
  if (found.length === 0) return plain('Обращений по этому условию нет.');
  const more = found.length > LIST_LIMIT ? `\n…и ещё, уточните условие.` : '';
  return plain(`Обращения (${Math.min(found.length, LIST_LIMIT)}${found.length > LIST_LIMIT ? '+' : ''}):\n${found.slice(0, LIST_LIMIT).map((i) => line(i, deps, request.platform)).join('\n')}${more}`);
}

const EVENT_NAMES: Record<string, string> = {
  created: 'зарегистрировано',
  transition: 'статус',
  assign: 'назначен отдел',
  note: 'заметка',
  interim: 'промежуточный ответ',
  followup: 'дополнение жителя',
  linked: 'сообщил ещё один житель',
  answer_due: 'срок ответа перенесён',
  reminder: 'напоминание',
  escalated: 'эскалация',
  announcement: 'объявление',
};

function showCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const found = resolveIncident(args, SHOW_USAGE, request.moderator, deps);
  if (!found.ok) return found.reply;
  const { incident } = found;
  const q = (text: string) => safeText(text, request.platform);
  const tz = deps.config.region.timezone;
  const department = deps.config.departments.find((d) => d.id === incident.departmentId);
  const events = deps.incidents.store.events(incident.id).slice(-8);
  // People, not messages: one author who wrote under two posts is one person (as on the card).
  const reporters = deps.incidents.store.reporterCount(incident.id);
  const link = threadLink(incident.thread);
  const lines = [
    `Обращение №${incident.id} — ${STATUS_NAMES[incident.status]}`,
    `Тема: ${topicLabel(incident.topic)}${incident.urgency === 'emergency' ? ' (СРОЧНО)' : ''}; МО: ${municipalityName(deps.config, incident.municipalityId)}`,
    `Ответственный: ${department ? `${q(department.name)} (${department.id})` : 'не назначен'}`,
    `Зарегистрировано: ${formatLocal(incident.createdAt, tz)}${incident.answerDueAt ? `; ответить до ${formatLocal(incident.answerDueAt, tz)}` : ''}`,
    reporters > 1 ? `Сообщили: ${reporters} чел.` : '',
    `«${q(snippet(incident.text, 600))}»`,
    link ? `Ветка: ${link}` : '',
    'История:',
    ...events.map((e) => {
      const what = e.action === 'transition' ? `${STATUS_NAMES[e.oldValue as IncidentStatus] ?? e.oldValue} → ${STATUS_NAMES[e.newValue as IncidentStatus] ?? e.newValue}` : (EVENT_NAMES[e.action] ?? e.action);
      const text = typeof e.details?.text === 'string' ? `: ${q(snippet(e.details.text, 120))}` : '';
      return `  ${formatLocal(e.at, tz)} ${e.actorKind === 'moderator' ? e.actorId : e.actorKind === 'citizen' ? 'житель' : 'система'} — ${what}${text}`;
    }),
  ];
  return plain(lines.filter(Boolean).join('\n'));
}

function findCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const text = args.trim();
  if (text.length < 3) return plain(`Напишите не меньше трёх букв для поиска. Использование: ${FIND_USAGE}`);
  if (text.length > 200) return plain('Слишком длинный запрос: не больше 200 символов.');
  const scope = moderatorScope(request.moderator);
  const found = deps.incidents.store.list({ text, ...(scope !== undefined ? { scopeMunicipalityId: scope } : {}) }, FIND_LIMIT);
  if (found.length === 0) return plain(`Ничего не найдено по «${safeText(text, request.platform)}».`);
  return plain(`Найдено (до ${FIND_LIMIT}):\n${found.map((i) => line(i, deps, request.platform)).join('\n')}`);
}

function statsCommand(args: string, request: Parameters<ModeratorFeature['run']>[0], deps: ModerationDeps): CommandReply {
  const parsed = parsePeriod(args, deps.clock(), deps.config.region.timezone);
  if (!parsed) return plain(`Не понял период «${safeText(clipText(args.trim(), 40), request.platform)}». ${REPORT_USAGE.replace('/report', '/stats')}`);
  const scope = moderatorScope(request.moderator);
  const counts = deps.incidents.store.countByStatus(parsed.period.from, parsed.period.to, scope);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = INCIDENT_STATUSES.filter((s) => counts.has(s)).map((s) => `${STATUS_LABELS[s]}: ${counts.get(s)}`);
  const where = scope === undefined ? 'весь регион' : municipalityName(deps.config, scope);
  return plain(`${parsed.title.replace('Сводка', 'Статистика')} (${where}): всего ${total}${parts.length ? `; ${parts.join(', ')}` : ''}.`);
}

export const QUERY_FEATURES: ModeratorFeature[] = [
  { audience: 'moderator', names: ['list'], usage: LIST_USAGE, run: (r, d) => listCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['show'], usage: SHOW_USAGE, run: (r, d) => showCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['find'], usage: FIND_USAGE, run: (r, d) => findCommand(r.command.args, r, d) },
  { audience: 'moderator', names: ['stats'], usage: STATS_USAGE, run: (r, d) => statsCommand(r.command.args, r, d) },
];
