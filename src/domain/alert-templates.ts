/**
 * The moderators' alert templates (`templates.<language>.alert_*`, `digest_*`): which keys the bot
 * needs and which placeholders each must carry. The config check at start uses this table, so a
 * missing template or a dropped placeholder stops the start there, not mid-incident; the jobs and
 * the outbox render through {@link alertText}. The shipped Russian texts are in config/default.json.
 */
import { renderTemplate, type TemplateConfig, type TemplateSpec, templateProblems } from './template.js';

/** Every alert template and its placeholders. Values arrive escaped for the message's format (HTML or plain). */
export const ALERT_TEMPLATES = {
  // SLA (HTML): {action} is «принять в работу» / «дать ответ», {missed} «не принято в работу» / «без ответа».
  alert_deadline_soon: { required: ['number', 'action', 'due'], optional: ['topic', 'municipality', 'left'] },
  alert_deadline_missed: { required: ['number', 'missed', 'due'], optional: ['topic', 'municipality', 'action', 'late'] },
  alert_deadline_escalated: { required: ['number', 'missed', 'due'], optional: ['topic', 'municipality', 'action', 'late'] },
  /** The line under a reminder or a spike alert naming (and notifying) the responsible moderators (HTML). */
  alert_responsible: { required: ['moderators'] },
  /** The line under an escalation naming the regional moderators (HTML). */
  alert_regional: { required: ['moderators'] },
  /** Moderators of another platform (VK) told where they work, not mentioned in the chat (HTML). */
  alert_notified_direct: { required: ['moderators'] },
  /** Moderators the bot has no way to (HTML). */
  alert_unreachable: { required: ['moderators'] },
  /** The head of one run's reminders for one municipality (HTML); {count} is «3 обращения». */
  alert_deadlines_title: { required: ['municipality', 'count'] },
  /** The reminders past the listed ones: {count} more, {list} their numbers (HTML). */
  alert_deadlines_more: { required: ['count', 'list'] },
  // Spike (HTML): {count} is «6 обращений», {list} the incident numbers; {place} is alert_spike_place or empty.
  alert_spike: { required: ['topic', 'municipality', 'count', 'list'], optional: ['place', 'hours', 'expected', 'p'] },
  alert_spike_place: { required: ['place'], optional: ['count', 'total'] },
  alert_spike_examples: { required: ['examples'] },
  alert_spike_hint: { required: [] },
  // Stopped channels (plain text).
  alert_delivery_stopped: { required: ['platform'], optional: ['reason'] },
  alert_source_stopped: { required: ['channel'], optional: ['reason'] },
  /** {channel} of alert_source_stopped: the VK wall reader, a community's long poll ({group}: its id). */
  alert_channel_vk_wall: { required: [] },
  alert_channel_vk_lp: { required: ['group'] },
  alert_channel_max: { required: [] },
  // Digest (HTML header; plain caption and chart title).
  digest_title: { required: ['date'] },
  digest_header: { required: ['title'], optional: ['region'] },
  digest_chart_caption: { required: ['date'], optional: ['days'] },
  digest_chart_title: { required: ['date'], optional: ['region'] },
  // Digest and /report body lines (HTML); {list}: «ЖКХ 3, дороги 2»; {timing}: digest_timing or digest_timing_none.
  digest_total: { required: ['total'] },
  digest_total_by_status: { required: ['total', 'statuses'] },
  digest_topics: { required: ['list'] },
  /** The most frequent problems (config/problems.json labels): «Нет горячей воды 5, Лифт 3». Left out when no incident has one. */
  digest_problems: { required: ['list'] },
  digest_municipalities: { required: ['list'] },
  digest_sources: { required: ['list'] },
  digest_municipal_share: { required: ['percent'] },
  digest_time_ack: { required: ['timing'] },
  digest_time_accept: { required: ['timing'] },
  digest_time_answer: { required: ['timing'] },
  digest_timing: { required: ['median'], optional: ['p90', 'n'] },
  digest_timing_none: { required: [] },
  digest_overdue: { required: ['count', 'list'] },
  digest_overdue_none: { required: ['count'] },
  digest_risks: { required: [], optional: ['count'] },
  digest_risks_none: { required: [] },
  /** One spike: {what} is «тема, МО, место»; {list} its incident numbers. */
  digest_risk: { required: ['what'], optional: ['count', 'expected', 'since', 'list'] },
  /**
   * The detector as moderators saw it over the 7 days ending {to} (digest, /report, /stats,
   * `otklik stats`): {auto} registered on its own, {rejected} of them rejected as not an appeal,
   * {precision} the rest in percent; of the appeals {topics} / {problems} had their topic / only
   * their problem corrected, {topicsShare} / {problemsShare} in percent.
   */
  digest_detector: { required: ['auto', 'precision'], optional: ['from', 'to', 'rejected', 'topics', 'topicsShare', 'problems', 'problemsShare'] },
  digest_detector_none: { required: [], optional: ['from', 'to'] },
  /** {messages}: «5 сообщений». */
  digest_retention: { required: ['messages', 'incidents'] },
} as const satisfies Record<string, TemplateSpec>;

export type AlertKey = keyof typeof ALERT_TEMPLATES;

/** Config as much as alerts need: the templates and the language to pick them in. */
export type AlertTemplateConfig = TemplateConfig;

/**
 * The alert `key` filled with `values` (already escaped for the message's format). Throws when
 * the config lacks the template: the start-up check makes that a deployment error caught early.
 */
export function alertText(config: AlertTemplateConfig, key: AlertKey, values: Readonly<Record<string, string | number>> = {}): string {
  return renderTemplate(config, 'alert', key, values);
}

/**
 * What is wrong with the alert templates of a config, one line per problem in the config
 * check's format (`  - templates.ru.alert_spike = "…": …`); empty when all is well.
 */
export function alertTemplateProblems(config: AlertTemplateConfig, describe: (text: string) => string = JSON.stringify): string[] {
  return templateProblems(config, ALERT_TEMPLATES, "a moderators' alert template", describe);
}
