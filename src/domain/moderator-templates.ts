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
  card_title_question: { required: ['number', 'status'] },
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
  /** The citizen's latest addition (follow-up) and its time; with {count} when there are several. */
  card_addition: { required: ['time', 'text'] },
  card_additions: { required: ['time', 'text', 'count'] },
  /** The latest change, last on the card. */
  card_last_note: { required: ['note'] },
  /** Who holds it («Взять в работу»). */
  card_holder: { required: ['name'] },
  // What the citizen sent besides words (src/media-texts.ts): VK photos as links, Telegram photos with the card, files, the location.
  card_photo_link: { required: ['url'], optional: ['n'] },
  card_photos_links: { required: ['links'], optional: ['count'] },
  card_photos_attached: { required: ['count'] },
  card_file_link: { required: ['url', 'name'] },
  card_files: { required: ['files'] },
  card_location: { required: ['map'], optional: ['lat', 'lon'] },
  card_location_place: { required: ['map', 'place'], optional: ['lat', 'lon'] },
  /** The caption of the citizen's photos sent under a card (plain). */
  card_photos_under: { required: ['number'], optional: ['count'] },
  card_button_accept: { required: [] },
  card_button_ask: { required: [] },
  card_button_answer: { required: [] },
  card_button_reject: { required: [] },
  card_button_assign: { required: [] },
  card_button_close: { required: [] },
  card_button_reopen: { required: [] },
  card_button_topic: { required: [] },
  // The «Изменить тему» keyboard (src/moderation/topic-picker.ts): navigation and «только тема».
  card_picker_back: { required: [] },
  card_picker_more: { required: [] },
  card_picker_cancel: { required: [] },
  card_picker_topic_only: { required: [] },
  // Card notes («Последнее действие: …») the citizens' side causes.
  card_note_linked: { required: [] },
  card_note_citizen_answered: { required: [] },
  card_note_addition: { required: [] },
  // Plain notes in the moderators' chat: the citizen answered a question; a doubtful message to check.
  card_citizen_answered: { required: ['number', 'text'] },
  /** A note under the card quoting the citizen's addition(s); several that arrive before it goes out are one note. */
  card_citizen_added: { required: ['number', 'text'] },
  /** The same note when the additions had no words, only photos, files or a location (listed under it). */
  card_citizen_added_media: { required: ['number'] },
  card_review: { required: ['text'], optional: ['score', 'topic'] },
  card_review_reasons: { required: ['reasons'] },
  card_review_hint: { required: [] },
  /** The «Проверить» note of a photo sent without words by a citizen with no open incident. */
  card_review_media: { required: [] },
  /** The «Проверить» note of a message that may belong to the same citizen's open incident (src/domain/threading.ts). */
  card_review_other_problem: { required: ['number'] },
  card_review_maybe_addition: { required: ['number'] },

  // Plain lines about what came with a message, in notes and /show.
  mod_media_photos: { required: ['list'], optional: ['count'] },
  mod_media_telegram_photos: { required: ['count'] },
  mod_media_files: { required: ['files'] },
  mod_media_location: { required: ['map'], optional: ['lat', 'lon'] },
  mod_media_location_place: { required: ['map', 'place'], optional: ['lat', 'lon'] },

  // === Command replies (plain). Usage lines: one per command, listed by /help and quoted in refusals as {usage}.
  mod_usage_help: { required: [] },
  mod_usage_list: { required: [] },
  mod_usage_show: { required: [] },
  mod_usage_find: { required: [] },
  mod_usage_stats: { required: [] },
  mod_usage_accept: { required: [] },
  mod_usage_assign: { required: [] },
  mod_usage_ask: { required: [] },
  mod_usage_interim: { required: [] },
  mod_usage_answer: { required: [] },
  mod_usage_close: { required: [] },
  mod_usage_reject: { required: [] },
  mod_usage_reopen: { required: [] },
  mod_usage_note: { required: [] },
  mod_usage_take: { required: [] },
  mod_usage_topic: { required: [] },
  mod_usage_login: { required: [] },
  mod_usage_incident: { required: [] },
  mod_usage_report: { required: [] },
  mod_usage_announce: { required: [] },
  // /help: the heading by the moderator's role, then the usage lines, then the buttons.
  mod_help_regional: { required: [] },
  mod_help_municipal: { required: ['municipality'] },
  mod_help_buttons: { required: [] },
  // Refusals of the handler and of the checks every command about one incident starts with.
  mod_unknown_command: { required: ['command'] },
  mod_not_here: { required: [] },
  mod_no_number: { required: ['usage'] },
  mod_bad_number: { required: ['given'], optional: ['usage'] },
  mod_no_incident: { required: ['number'] },
  mod_other_municipality: { required: ['number'], optional: ['municipality'] },
  mod_no_text: { required: ['usage'] },
  mod_text_too_long: { required: ['max'], optional: ['length'] },
  // Button presses: the callback answers (at most 200 characters shown) and the prompts posted under the card.
  mod_press_unknown: { required: [] },
  mod_press_not_moderator: { required: [] },
  mod_press_wrong_card: { required: [] },
  mod_press_other_municipality: { required: ['number'] },
  mod_press_stale: { required: ['number', 'status'] },
  mod_press_refused: { required: ['number', 'status'] },
  mod_press_done: { required: ['number', 'status'] },
  mod_press_prompted: { required: ['command'] },
  /** «Изменить тему» pressed: the card shows the topics; a cancel changes nothing. */
  mod_press_topic_pick: { required: ['number'] },
  mod_press_topic_kept: { required: ['number'] },
  // === A burst summary (Telegram HTML): one line each; {list} are incident numbers («№101–140, №142»).
  burst_title: { required: ['topic', 'municipality', 'count'], optional: ['problem'] },
  burst_numbers: { required: ['list'] },
  burst_urgent: { required: ['list'] },
  burst_hint: { required: [] },
  /** With several pages of buttons: which one is shown. */
  burst_page: { required: ['page', 'pages'] },
  burst_button_open: { required: ['number'] },
  burst_button_open_urgent: { required: ['number'] },
  burst_button_prev: { required: [] },
  burst_button_next: { required: [] },
  /** Posted in reply to a card already in the chat when its «№N» is pressed (plain). */
  burst_open_here: { required: ['number'] },
  // Answers to presses on a summary (plain).
  mod_press_burst_next: { required: ['number'] },
  mod_press_burst_here: { required: ['number'] },
  mod_press_burst_page: { required: ['page', 'pages'] },
  /** {command} is the matching mod_command_* text. */
  mod_prompt_ask: { required: ['number', 'command'] },
  mod_prompt_answer: { required: ['number', 'command'] },
  mod_prompt_reject: { required: ['number', 'command'] },
  mod_prompt_assign: { required: ['number', 'command', 'departments'] },
  mod_command_ask: { required: ['number'] },
  mod_command_answer: { required: ['number'] },
  mod_command_reject: { required: ['number'] },
  mod_command_assign: { required: ['number'] },
  // Incident actions (/accept … /note): what was done, and why not.
  mod_done_accept: { required: ['number'] },
  mod_done_ask: { required: ['number'] },
  mod_done_interim: { required: ['number'] },
  mod_done_answer: { required: ['number'] },
  mod_done_close: { required: ['number'] },
  mod_done_reject: { required: ['number'] },
  mod_done_reopen: { required: ['number'] },
  mod_done_assign: { required: ['number'] },
  mod_done_note: { required: ['number'] },
  mod_done_take: { required: ['number'] },
  /** {topic}: «ЖКХ · Нет горячей воды», the topic and problem it has now. */
  mod_done_topic: { required: ['number'], optional: ['topic'] },
  /** The console named someone without rights on the incident as its holder. */
  mod_take_cannot_hold: { required: ['number'] },
  // /login: a one-time link to the web console, only in a private chat.
  mod_login_link: { required: ['link'], optional: ['minutes'] },
  mod_login_private_only: { required: [] },
  mod_login_disabled: { required: [] },
  mod_unchanged: { required: ['number'] },
  /** /topic naming the topic and problem the incident has: {topic} is «ЖКХ · Нет горячей воды». */
  mod_unchanged_topic: { required: ['number'], optional: ['topic'] },
  /** {departments}: one `code — name` a line. */
  mod_no_department: { required: ['departments'], optional: ['usage', 'number'] },
  mod_unknown_department: { required: ['given', 'departments'], optional: ['number'] },
  mod_extra_words: { required: ['usage'] },
  /** {allowed}: the commands the status allows («/accept, /ask»); _none when it allows none. */
  mod_action_refused: { required: ['number', 'status', 'allowed'], optional: ['action'] },
  mod_action_refused_none: { required: ['number', 'status'], optional: ['action'] },
  // Queries: /list and /find (one mod_list_line per incident), /show.
  mod_list: { required: ['list'], optional: ['count'] },
  mod_list_more: { required: [] },
  mod_list_line: { required: ['number'], optional: ['status', 'topic', 'municipality', 'text', 'holder'] },
  /** `{holder}` of mod_list_line for an incident someone took; empty otherwise. */
  mod_list_holder: { required: ['name'] },
  mod_list_none: { required: [] },
  mod_list_own_only: { required: [] },
  mod_list_bad_word: { required: ['given'], optional: ['usage', 'statuses', 'topics', 'municipalities'] },
  mod_show_title: { required: ['number', 'status'] },
  mod_show_topic: { required: ['topic'], optional: ['municipality'] },
  mod_show_topic_urgent: { required: ['topic'], optional: ['municipality'] },
  mod_show_created: { required: ['created'] },
  mod_show_created_due: { required: ['created', 'due'] },
  mod_show_link: { required: ['link'] },
  mod_show_history: { required: [] },
  mod_show_event: { required: ['what'], optional: ['at', 'actor'] },
  mod_show_event_text: { required: ['what', 'text'], optional: ['at', 'actor'] },
  mod_find: { required: ['list'], optional: ['limit'] },
  mod_find_none: { required: [], optional: ['given'] },
  mod_find_short: { required: [], optional: ['usage'] },
  mod_find_long: { required: [] },
  /** /topic, /incident, /list and /announce: {topics} lists the topic names, {problems} a few problems as examples. */
  mod_unknown_topic: { required: ['given'], optional: ['topics', 'problems'] },
  // /incident in reply to a citizen's message or a «Проверить» note.
  mod_mark_not_reply: { required: [], optional: ['usage'] },
  mod_mark_unknown_message: { required: [] },
  mod_mark_already: { required: ['number'] },
  mod_mark_not_citizen: { required: [] },
  mod_mark_other_municipality: { required: [] },
  mod_mark_created: { required: ['number'] },
  mod_mark_linked: { required: ['number'] },
  // /report and /stats: the title names the period ({period} is one of mod_period_*); `otklik stats` uses mod_report_title too.
  mod_report_title: { required: ['period'] },
  mod_stats_title: { required: ['period'] },
  mod_period_today: { required: ['date'] },
  mod_period_day: { required: ['date'] },
  mod_period_range: { required: ['first', 'last'] },
  /** «неделя», «месяц»: 7 and 30 days. */
  mod_period_last_days: { required: ['days'] },
  /** «7d»: the last N days. */
  mod_period_days: { required: ['days'] },
  /** {command}: report or stats. */
  mod_bad_period: { required: ['given'], optional: ['command'] },
  /** {counts}: «новые: 3, в работе: 2». */
  mod_stats: { required: ['title', 'total', 'counts'], optional: ['where'] },
  mod_stats_none: { required: ['title', 'total'], optional: ['where'] },
  /** Questions of the period, apart from the complaints. */
  mod_stats_questions: { required: ['total', 'answered'] },
  mod_stats_region: { required: [] },
  // /announce: refusals and what was queued ({posts}, {replies}, {incidents}: counted words such as «2 площадки»).
  mod_announce_no_text: { required: [] },
  mod_announce_place_needs_topic: { required: [] },
  mod_announce_too_long: { required: ['max'], optional: ['length'] },
  mod_announce_own_only: { required: [] },
  mod_announce_repeat: { required: ['number', 'summary'] },
  mod_announce_summary: { required: ['posts', 'replies'] },
  mod_announce_queued: { required: ['number', 'posts'] },
  mod_announce_queued_topic: { required: ['number', 'summary', 'list'], optional: ['incidents'] },
  mod_announce_queued_topic_none: { required: ['number', 'summary'] },
  mod_announce_queued_place_none: { required: ['number', 'summary'] },
} as const satisfies Record<string, TemplateSpec>;

export type ModeratorTemplateKey = keyof typeof MODERATOR_TEMPLATES;

/**
 * The moderators' text `key` filled with `values` (already escaped for the message's format).
 * Throws when the config lacks it: the start-up check makes that a deployment error caught early.
 */
export function modText(config: TemplateConfig, key: ModeratorTemplateKey, values: Readonly<Record<string, string | number>> = {}): string {
  return renderTemplate(config, "moderators' text", key, values);
}
