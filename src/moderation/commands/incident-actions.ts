/**
 * The commands that work an incident: /accept, /assign, /ask, /interim, /answer, /close,
 * /reject, /reopen, /note. Each checks its arguments, then asks IncidentService to act, which
 * applies the transition table and tells the citizen.
 */
import type { ModeratorConfig } from '../../config.js';
import { clipText } from '../../domain/clip-text.js';
import { authorKey } from '../../domain/inbound-message.js';
import type { Actor } from '../../domain/incident.js';
import type { IncidentAction } from '../../domain/incident-status.js';
import { type ModeratorTemplateKey, modText } from '../../domain/moderator-templates.js';
import { safeText } from '../../domain/safe-text.js';
import { assignableDepartments } from '../../incidents/routing.js';
import type { StoredIncident } from '../../store/incident-store.js';
import { statusName, topicAndProblem } from '../../texts.js';
import type { CommandReply, ModerationDeps, ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { checkReplyText, resolveIncident } from '../incident-arg.js';
import { canActOn } from '../permissions.js';
import { type TopicChoice, topicChoice, topicChoiceHelp } from '../topic-choice.js';

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
  take: 'mod_done_take',
  topic: 'mod_done_topic',
  note: 'mod_done_note',
};

/** Which part of the arguments each command needs after the number. */
type Needs = 'nothing' | 'text' | 'department' | 'optional-department' | 'topic';

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
  { action: 'take', needs: 'nothing', usage: 'mod_usage_take' },
  { action: 'topic', needs: 'topic', usage: 'mod_usage_topic' },
];

/** The departments a moderator may assign the incident to, one `code — name` a line (prompts and refusals). */
export function departmentList(incident: Pick<StoredIncident, 'municipalityId'>, deps: Pick<ModerationDeps, 'config'>): string {
  return assignableDepartments(deps.config, incident.municipalityId)
    .map((d) => `${d.id} — ${d.name}`)
    .join('\n');
}

function findDepartment(word: string, incident: StoredIncident, deps: Pick<ModerationDeps, 'config'>): string | null {
  const id = word.trim().toLowerCase();
  return assignableDepartments(deps.config, incident.municipalityId).find((d) => d.id === id)?.id ?? null;
}

/** What an action needs besides the incident, as the chat command or the console form gave it. */
export interface ActionInput {
  action: IncidentAction;
  /** The words for the citizen or the note (ask, interim, answer, reject, note). */
  text?: string;
  /** A department id as written (accept, assign). */
  department?: string;
  /** A topic or a problem as written (topic): an id, a Russian name or a problem's alias; a problem sets its topic too. */
  topic?: string;
  /**
   * With a topic named (not a problem): the incident is left without a problem (the console's and
   * the card's choice «только тема»). Without it a topic keeps the incident's problem when the
   * topic stays, and clears it when the topic changes.
   */
  withoutProblem?: boolean;
  /** The moderator (authorKey) who takes the incident (take); default the one acting. */
  holderKey?: string;
}

/** The outcome of an action, worded by the moderators' templates: the chat reply, the console's notice. */
export interface ActionResult extends CommandReply {
  ok: boolean;
}

/**
 * Carry out one action on an incident the moderator may act on: the argument checks, the
 * transition table, the citizen's message and the card — the one path the chat commands, the
 * card buttons' prompts and the web console all take.
 */
export function carryOutAction(incident: StoredIncident, input: ActionInput, moderator: ModeratorConfig, deps: ModerationDeps): ActionResult {
  const t = (ok: boolean, key: ModeratorTemplateKey, values: Record<string, string | number> = {}): ActionResult => ({
    ok,
    ...plain(modText(deps.config, key, values)),
  });
  const spec = SPECS.find((s) => s.action === input.action)!;
  const usage = modText(deps.config, spec.usage);
  let departmentId: string | undefined;
  const word = (input.department ?? '').trim();
  if (spec.needs === 'department' || (spec.needs === 'optional-department' && word !== '')) {
    if (word === '') return t(false, 'mod_no_department', { usage, number: incident.id, departments: departmentList(incident, deps) });
    const id = findDepartment(word, incident, deps);
    if (!id)
      return t(false, 'mod_unknown_department', {
        given: safeText(clipText(word, 60), moderator.platform),
        number: incident.id,
        departments: departmentList(incident, deps),
      });
    departmentId = id;
  }
  const text = input.text ?? '';
  if (spec.needs === 'text') {
    const problem = checkReplyText(text, usage, deps);
    if (problem) return { ok: false, ...problem };
  }
  let choice: TopicChoice | undefined;
  if (spec.needs === 'topic') {
    const given = (input.topic ?? '').trim();
    const found = given === '' ? null : topicChoice(given, deps.config.problems);
    if (!found) return t(false, 'mod_unknown_topic', { given: safeText(clipText(given, 40), moderator.platform), ...topicChoiceHelp(deps.config.problems) });
    choice = found;
  }
  let holder: { key: string; name: string } | undefined;
  if (input.action === 'take' && input.holderKey !== undefined) {
    const person = deps.config.moderators.find((m) => authorKey(m) === input.holderKey);
    if (!person || !canActOn(person, incident.municipalityId)) return t(false, 'mod_take_cannot_hold', { number: incident.id });
    holder = { key: authorKey(person), name: person.name };
  }

  const outcome = deps.incidents.act(incident.id, {
    action: spec.action,
    actor: moderatorActor(moderator),
    ...(spec.needs === 'text' ? { text } : {}),
    ...(departmentId ? { departmentId } : {}),
    ...(holder ? { holder } : {}),
    ...(choice ? { topic: choice.topic, ...(choice.kind === 'problem' ? { problem: choice.problem } : input.withoutProblem ? { problem: null } : {}) } : {}),
  });
  if (!outcome.ok) {
    const allowed = outcome.allowed.map((a) => `/${a}`).join(', ');
    const refused = { number: incident.id, status: statusName(outcome.incident.status), action: spec.action, allowed };
    return t(false, allowed ? 'mod_action_refused' : 'mod_action_refused_none', refused);
  }
  if (!outcome.changed)
    return t(true, spec.action === 'topic' ? 'mod_unchanged_topic' : 'mod_unchanged', {
      number: incident.id,
      topic: topicAndProblem(deps.config, outcome.incident),
    });
  return t(true, DONE[spec.action], { number: incident.id, topic: topicAndProblem(deps.config, outcome.incident) });
}

/** The chat command: the number, then the rest of the line as the command needs it. */
function run(spec: ActionSpec, args: string, moderator: ModeratorConfig, deps: ModerationDeps): CommandReply {
  const usage = modText(deps.config, spec.usage);
  const found = resolveIncident(args, usage, moderator, deps);
  if (!found.ok) return found.reply;
  const { incident, rest } = found;
  if (spec.needs === 'nothing' && rest !== '') return plain(modText(deps.config, 'mod_extra_words', { usage }));
  const input: ActionInput =
    spec.needs === 'text'
      ? { action: spec.action, text: rest }
      : spec.needs === 'nothing'
        ? { action: spec.action }
        : spec.needs === 'topic'
          ? { action: spec.action, topic: rest }
          : { action: spec.action, department: rest.split(/\s+/)[0] ?? '' };
  const { ok: _ok, ...reply } = carryOutAction(incident, input, moderator, deps);
  return reply;
}

/** The incident action commands, in the order /help lists them. */
export const INCIDENT_ACTION_FEATURES: ModeratorFeature[] = SPECS.map((spec) => ({
  audience: 'moderator',
  names: [spec.action],
  usage: spec.usage,
  run: (request, deps) => run(spec, request.command.args, request.moderator, deps),
}));
