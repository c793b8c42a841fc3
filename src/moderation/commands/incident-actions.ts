/**
 * The commands that work an incident: /accept, /assign, /ask, /interim, /answer, /close,
 * /reject, /reopen, /note. Each checks its arguments, then asks IncidentService to act, which
 * applies the transition table and tells the citizen.
 */
import type { ModeratorConfig } from '../../config.js';
import type { Actor } from '../../domain/incident.js';
import type { IncidentAction } from '../../domain/incident-status.js';
import { assignableDepartments } from '../../incidents/routing.js';
import type { StoredIncident } from '../../store/incident-store.js';
import { STATUS_NAMES } from '../incident-card.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { checkReplyText, resolveIncident } from '../incident-arg.js';
import { moderatorKey } from '../permissions.js';
import { clipText } from '../../domain/clip-text.js';
import { safeText } from '../../domain/safe-text.js';
import { modText, type ModeratorTemplateKey } from '../../domain/moderator-templates.js';

export function moderatorActor(moderator: ModeratorConfig): Actor {
  return { kind: 'moderator', id: moderatorKey(moderator), name: moderator.name };
}

const DONE: Record<IncidentAction, string> = {
  accept: 'принято в работу, житель уведомлён',
  ask: 'житель получил вопрос',
  interim: 'промежуточный ответ отправлен жителю',
  answer: 'ответ отправлен жителю',
  close: 'закрыто, житель уведомлён',
  reject: 'отклонено, житель уведомлён',
  reopen: 'открыто повторно, житель уведомлён',
  assign: 'ответственный назначен',
  note: 'заметка сохранена',
};

/** Which part of the arguments each command needs after the number. */
type Needs = 'nothing' | 'text' | 'department' | 'optional-department';

interface ActionSpec {
  action: IncidentAction;
  needs: Needs;
  usage: ModeratorTemplateKey;
}

const SPECS: ActionSpec[] = [
  { action: 'accept', needs: 'optional-department', usage: 'mod_usage_accept' },
  { action: 'assign', needs: 'department', usage: 'mod_usage_assign' },
  { action: 'ask', needs: 'text', usage: 'mod_usage_ask' },
  { action: 'interim', needs: 'text', usage: 'mod_usage_interim' },
  { action: 'answer', needs: 'text', usage: 'mod_usage_answer' },
  { action: 'close', needs: 'nothing', usage: 'mod_usage_close' },
  { action: 'reject', needs: 'text', usage: 'mod_usage_reject' },
  { action: 'reopen', needs: 'nothing', usage: 'mod_usage_reopen' },
  { action: 'note', needs: 'text', usage: 'mod_usage_note' },
];

/** The departments a moderator may assign the incident to, one `code — name` a line (prompts and refusals). */
export function departmentList(incident: Pick<StoredIncident, 'municipalityId'>, deps: Pick<ModerationDeps, 'config'>): string {
  return assignableDepartments(deps.config, incident.municipalityId)
    .map((d) => `${d.id} — ${d.name}`)
    .join('\n');
}

function findDepartment(word: string, incident: StoredIncident, deps: ModerationDeps): string | null {
  const id = word.trim().toLowerCase();
  return assignableDepartments(deps.config, incident.municipalityId).find((d) => d.id === id)?.id ?? null;
}

function run(spec: ActionSpec, args: string, moderator: ModeratorConfig, deps: ModerationDeps): CommandReply {
  const usage = modText(deps.config, spec.usage);
  const found = resolveIncident(args, usage, moderator, deps);
  if (!found.ok) return found.reply;
  const { incident, rest } = found;
  let departmentId: string | undefined;
  if (spec.needs === 'department' || (spec.needs === 'optional-department' && rest !== '')) {
    const word = rest.split(/\s+/)[0] ?? '';
    if (word === '') return plain(`Не указан отдел. Использование: ${usage}\nДля обращения №${incident.id} подходят:\n${departmentList(incident, deps)}`);
    const id = findDepartment(word, incident, deps);
    if (!id) return plain(`Неизвестный отдел «${safeText(clipText(word, 60), moderator.platform)}». Для обращения №${incident.id} подходят:\n${departmentList(incident, deps)}`);
    departmentId = id;
  }
  if (spec.needs === 'text') {
    const problem = checkReplyText(rest, usage, deps);
    if (problem) return problem;
  }
  if (spec.needs === 'nothing' && rest !== '') return plain(`Лишние слова после номера. Использование: ${usage}`);

  const outcome = deps.incidents.act(incident.id, {
    action: spec.action,
    actor: moderatorActor(moderator),
    ...(spec.needs === 'text' ? { text: rest } : {}),
    ...(departmentId ? { departmentId } : {}),
  });
  if (!outcome.ok) {
    const allowed = outcome.allowed.map((a) => `/${a}`).join(', ');
    return plain(`Обращение №${incident.id} сейчас «${STATUS_NAMES[outcome.incident.status]}»: /${spec.action} недоступна. Можно: ${allowed || 'ничего'}.`);
  }
  if (!outcome.changed) return plain(`Обращение №${incident.id}: ничего не изменилось (этот отдел уже назначен).`);
  return plain(`Обращение №${incident.id}: ${DONE[spec.action]}.`);
}

/** The incident action commands, in the order /help lists them. */
export const INCIDENT_ACTION_FEATURES: ModeratorFeature[] = SPECS.map((spec) => ({
  audience: 'moderator',
  names: [spec.action],
  usage: spec.usage,
  run: (request, deps) => run(spec, request.command.args, request.moderator, deps),
}));
