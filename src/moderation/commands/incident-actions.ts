/**
 * The commands that work an incident: /accept, /assign, /ask, /interim, /answer, /close,
 * /reject, /reopen, /note. Each checks its arguments, then asks IncidentService to act, which
 * applies the transition table and tells the citizen.
 */
import type { ModeratorConfig } from '../../config.js';
import type { Actor } from '../../domain/incident.js';
import { authorKey } from '../../domain/inbound-message.js';
import type { IncidentAction } from '../../domain/incident-status.js';
import { assignableDepartments } from '../../incidents/routing.js';
import type { StoredIncident } from '../../store/incident-store.js';
import { statusName } from '../../texts.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { checkReplyText, resolveIncident } from '../incident-arg.js';
import { clipText } from '../../domain/clip-text.js';
import { safeText } from '../../domain/safe-text.js';
import { modText, type ModeratorTemplateKey } from '../../domain/moderator-templates.js';

export function moderatorActor(moderator: ModeratorConfig): Actor {
  return { kind: 'moderator', id: authorKey(moderator), name: moderator.name };
}

/** The reply after each action is done. */
const DONE: Record<IncidentAction, ModeratorTemplateKey> = {
  accept: 'mod_done_accept',
  ask: 'mod_done_ask',
  interim: 'mod_done_interim',
  answer: 'mod_done_answer',
  close: 'mod_done_close',
  reject: 'mod_done_reject',
  reopen: 'mod_done_reopen',
  assign: 'mod_done_assign',
  note: 'mod_done_note',
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
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number> = {}) => plain(modText(deps.config, key, values));
  const usage = modText(deps.config, spec.usage);
  const found = resolveIncident(args, usage, moderator, deps);
  if (!found.ok) return found.reply;
  const { incident, rest } = found;
  let departmentId: string | undefined;
  if (spec.needs === 'department' || (spec.needs === 'optional-department' && rest !== '')) {
    const word = rest.split(/\s+/)[0] ?? '';
    if (word === '') return t('mod_no_department', { usage, number: incident.id, departments: departmentList(incident, deps) });
    const id = findDepartment(word, incident, deps);
    if (!id) return t('mod_unknown_department', { given: safeText(clipText(word, 60), moderator.platform), number: incident.id, departments: departmentList(incident, deps) });
    departmentId = id;
  }
  if (spec.needs === 'text') {
    const problem = checkReplyText(rest, usage, deps);
    if (problem) return problem;
  }
  if (spec.needs === 'nothing' && rest !== '') return t('mod_extra_words', { usage });

  const outcome = deps.incidents.act(incident.id, {
    action: spec.action,
    actor: moderatorActor(moderator),
    ...(spec.needs === 'text' ? { text: rest } : {}),
    ...(departmentId ? { departmentId } : {}),
  });
  if (!outcome.ok) {
    const allowed = outcome.allowed.map((a) => `/${a}`).join(', ');
    const refused = { number: incident.id, status: statusName(outcome.incident.status), action: spec.action, allowed };
    return t(allowed ? 'mod_action_refused' : 'mod_action_refused_none', refused);
  }
  if (!outcome.changed) return t('mod_unchanged', { number: incident.id });
  return t(DONE[spec.action], { number: incident.id });
}

/** The incident action commands, in the order /help lists them. */
export const INCIDENT_ACTION_FEATURES: ModeratorFeature[] = SPECS.map((spec) => ({
  audience: 'moderator',
  names: [spec.action],
  usage: spec.usage,
  run: (request, deps) => run(spec, request.command.args, request.moderator, deps),
}));
