/**
 * The checks every command about one incident starts with: a number is given and is a number,
 * the incident exists, and the moderator may act on it. Each failure is a reply that says how
 * to write the command right.
 */
import type { ModeratorConfig } from '../config.js';
import { municipalityName } from '../jobs/format.js';
import type { StoredIncident } from '../store/incident-store.js';
import type { CommandReply, ModerationDeps } from './command-feature.js';
import { plain } from './command-feature.js';
import { takeIncidentNumber } from './parse-command.js';
import { canActOn } from './permissions.js';
import { clipText } from '../domain/clip-text.js';
import { safeText } from '../domain/safe-text.js';

export type IncidentArg = { ok: true; incident: StoredIncident; rest: string } | { ok: false; reply: CommandReply };

export function resolveIncident(args: string, usage: string, moderator: ModeratorConfig, deps: ModerationDeps): IncidentArg {
  const number = takeIncidentNumber(args);
  if (!number.ok) {
    const why = number.reason === 'missing' ? 'Не указан номер обращения.' : `«${safeText(clipText(number.given, 40), moderator.platform)}» — не номер обращения.`;
    return { ok: false, reply: plain(`${why} Использование: ${usage}`) };
  }
  const incident = deps.incidents.store.get(number.id);
  if (!incident) return { ok: false, reply: plain(`Обращения №${number.id} нет. Проверьте номер: /list покажет открытые обращения.`) };
  if (!canActOn(moderator, incident.municipalityId)) {
    deps.logger.warn({ moderator: moderator.id, platform: moderator.platform, incidentId: incident.id }, 'moderator refused: another municipality');
    return {
      ok: false,
      reply: plain(`Обращение №${incident.id} относится к другому муниципалитету (${municipalityName(deps.config, incident.municipalityId)}). Вы можете работать только с обращениями своего муниципалитета.`),
    };
  }
  return { ok: true, incident, rest: number.rest };
}

/** The moderator's text for the citizen: required, and no longer than incidents.maxReplyLength. */
export function checkReplyText(text: string, usage: string, deps: ModerationDeps): CommandReply | null {
  const max = deps.config.incidents.maxReplyLength;
  if (text.trim() === '') return plain(`Не указан текст. Использование: ${usage}`);
  if (text.length > max) return plain(`Текст длиннее ${max} символов (${text.length}). Сократите его и отправьте команду снова.`);
  return null;
}
