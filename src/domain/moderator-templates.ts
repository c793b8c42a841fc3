/**
 * The moderators' texts besides the alerts (src/domain/alert-templates.ts): the incident card
 * (`card_*`, HTML, its button labels too), the notes the bot posts next to cards, and the
 * replies to moderators' commands and button presses (`mod_*`, plain). Which keys the bot needs
 * and which placeholders each must carry: the config check at start uses this table, so a
 * missing template or a dropped placeholder stops the start. Values arrive escaped for the
 * message's format (HTML on the card, mentions neutralised in plain replies); templates are
 * trusted config. The shipped Russian texts are in config/default.json.
 */
import { renderTemplate, type TemplateConfig, type TemplateSpec } from './template.js';

/** Every moderators' text template and its placeholders. */
export const MODERATOR_TEMPLATES = {
  // === The incident card (Telegram HTML), one line each; empty lines are dropped.
  card_title: { required: ['number', 'status'] },
  card_topic: { required: ['topic'] },
  card_topic_urgent: { required: ['topic'] },
  card_municipality: { required: ['municipality'] },
  /** Also the /show line (plain). */
  card_department: { required: ['department'], optional: ['code'] },
  card_no_department: { required: [] },
  card_source: { required: ['channel'] },
  card_source_author: { required: ['channel', 'author'] },
  /** Also the /show line. */
  card_reporters: { required: ['count'] },
  /** The citizen's words; also on /show and the «Проверить» note. */
  card_text: { required: ['text'] },
  card_reasons: { required: ['reasons'] },
  card_link: { required: ['link'] },
  /** The latest change, last on the card. */
  card_last_note: { required: ['note'] },
  card_button_accept: { required: [] },
  card_button_ask: { required: [] },
  card_button_answer: { required: [] },
  card_button_reject: { required: [] },
  card_button_assign: { required: [] },
  card_button_close: { required: [] },
  card_button_reopen: { required: [] },
  // Card notes («Последнее действие: …») the citizens' side causes.
  card_note_linked: { required: [] },
  card_note_citizen_answered: { required: [] },
  // Plain notes in the moderators' chat: the citizen answered a question; a doubtful message to check.
  card_citizen_answered: { required: ['number', 'text'] },
  card_review: { required: ['text'], optional: ['score', 'topic'] },
  card_review_reasons: { required: ['reasons'] },
  card_review_hint: { required: [] },
} as const satisfies Record<string, TemplateSpec>;

export type ModeratorTemplateKey = keyof typeof MODERATOR_TEMPLATES;

/**
 * The moderators' text `key` filled with `values` (already escaped for the message's format).
 * Throws when the config lacks it: the start-up check makes that a deployment error caught early.
 */
export function modText(config: TemplateConfig, key: ModeratorTemplateKey, values: Readonly<Record<string, string | number>> = {}): string {
  return renderTemplate(config, "moderators' text", key, values);
}
