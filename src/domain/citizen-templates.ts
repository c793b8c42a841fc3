/**
 * The citizens' reply templates (`templates.<language>.ack`, `status_*`, `citizen_*`,
 * `not_moderator`): which keys the bot needs and which placeholders each must carry. The config
 * check at start uses this table as it does the alerts' (src/domain/alert-templates.ts); the
 * incident service renders through it. Values arrive made safe for the citizen's platform
 * (no mentions); the texts are plain. The shipped Russian texts are in config/default.json.
 */
import { renderTemplate, type TemplateConfig, type TemplateSpec } from './template.js';

/** What every status message is filled with: the moderator's words and the department, used or not. */
const STATUS_VALUES = ['text', 'department'] as const;

/** Every citizen-facing template and its placeholders. */
export const CITIZEN_TEMPLATES = {
  // Acknowledgements in the citizen's thread.
  ack: { required: ['number'], optional: ['department'] },
  /** {department} while none is assigned («Ответственный: специалисты центра управления»). */
  citizen_no_department: { required: [] },
  ack_followup: { required: ['number'] },
  ack_linked: { required: ['number'] },
  /** A question registered for a moderator's answer (src/detect/question-detector.ts). */
  ack_question: { required: ['number'] },
  // Status messages after a moderator's action; {text} is the moderator's words, {department} the responsible one.
  status_accepted: { required: ['number'], optional: STATUS_VALUES },
  status_needs_info: { required: ['number', 'text'], optional: STATUS_VALUES },
  status_interim: { required: ['number', 'text'], optional: STATUS_VALUES },
  status_answered: { required: ['number', 'text'], optional: STATUS_VALUES },
  /** A moderator's answer to a question. */
  question_answered: { required: ['number', 'text'], optional: STATUS_VALUES },
  status_closed: { required: ['number'], optional: STATUS_VALUES },
  status_rejected: { required: ['number', 'text'], optional: STATUS_VALUES },
  status_reopened: { required: ['number'], optional: STATUS_VALUES },
  // A moderator's /announce in the thread of an open incident; {text} is the announcement.
  announce_reply: { required: ['number', 'text'] },
  // Private dialog: /status, «мои обращения», help, refusals.
  citizen_status: { required: ['number', 'status'], optional: ['topic', 'date'] },
  citizen_not_found: { required: [], optional: ['number'] },
  /** {list} of citizen_mine: one citizen_mine_line per incident. */
  citizen_mine: { required: ['list'] },
  citizen_mine_line: { required: ['number'], optional: ['date', 'status', 'topic'] },
  citizen_mine_none: { required: [] },
  citizen_help: { required: [] },
  /** A private message that is neither an appeal nor a question: what the bot does, at most once a day per citizen. */
  citizen_private_help: { required: [] },
  citizen_private_only: { required: [], optional: ['number'] },
  not_moderator: { required: [] },
} as const satisfies Record<string, TemplateSpec>;

export type CitizenTemplateKey = keyof typeof CITIZEN_TEMPLATES;

/**
 * The citizens' template `key` filled with `values` (already made safe for the platform). Throws
 * when the config lacks it: the start-up check makes that a deployment error caught early.
 */
export function citizenText(config: TemplateConfig, key: CitizenTemplateKey, values: Readonly<Record<string, string | number>> = {}): string {
  return renderTemplate(config, 'reply', key, values);
}
