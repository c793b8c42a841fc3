/**
 * The checks every command about one incident starts with: a number is given and is a number,
 * the incident exists, and the moderator may act on it. Each failure is a reply that says how
 * to write the command right.
 */
import type { ModeratorConfig } from '../config.js';
import { clipText } from '../domain/clip-text.js';
import { modText } from '../domain/moderator-templates.js';
import { safeText } from '../domain/safe-text.js';
import type { StoredIncident } from '../store/incident-store.js';
import { municipalityName } from '../texts.js';
import type { CommandReply, ModerationDeps } from './command-feature.js';
import { plain } from './command-feature.js';
import { takeIncidentNumber } from './parse-command.js';
import { canActOn } from './permissions.js';

export type IncidentArg = { ok: true; incident: StoredIncident; rest: string } | { ok: false; reply: CommandReply };

/** `usage` is the command's help line, already rendered (quoted in the refusals). */
export function resolveIncident(args: string, usage: string, moderator: ModeratorConfig, deps: ModerationDeps): IncidentArg {
  const number = takeIncidentNumber(args);
  if (!number.ok) {
    const reply =
      number.reason === 'missing'
        ? modText(deps.config, 'mod_no_number', { usage })
        : modText(deps.config, 'mod_bad_number', { given: safeText(clipText(number.given, 40), moderator.platform), usage });
    return { ok: false, reply: plain(reply) };
  }
  const checked = checkIncident(number.id, moderator, deps);
  if (!checked.ok) return checked;
  const { incident } = checked;
  return { ok: true, incident, rest: number.rest };
}

/** The incident exists and the moderator may see and act on it (the chat commands and the console alike). */
export function checkIncident(
  id: number,
  moderator: ModeratorConfig,
  deps: Pick<ModerationDeps, 'config' | 'stores' | 'logger'>,
): { ok: true; incident: StoredIncident } | { ok: false; reply: CommandReply } {
  const incident = deps.stores.incidents.get(id);
  if (!incident) return { ok: false, reply: plain(modText(deps.config, 'mod_no_incident', { number: id })) };
  if (!canActOn(moderator, incident.municipalityId)) {
    deps.logger.warn({ moderator: moderator.id, platform: moderator.platform, incidentId: incident.id }, 'moderator refused: another municipality');
    return {
      ok: false,
      reply: plain(
        modText(deps.config, 'mod_other_municipality', { number: incident.id, municipality: municipalityName(deps.config, incident.municipalityId) }),
      ),
    };
  }
  return { ok: true, incident };
}

/** The moderator's text for the citizen: required, and no longer than incidents.maxReplyLength. */
export function checkReplyText(text: string, usage: string, deps: ModerationDeps): CommandReply | null {
  const max = deps.config.incidents.maxReplyLength;
  if (text.trim() === '') return plain(modText(deps.config, 'mod_no_text', { usage }));
  if (text.length > max) return plain(modText(deps.config, 'mod_text_too_long', { max, length: text.length }));
  return null;
}
