/**
 * Every command, in one ordered list: the first feature whose name matches runs. The catch-all
 * (unknown command) is not in the list: the handler applies it when nothing matched, so it is
 * always last.
 */

import { modText } from '../domain/moderator-templates.js';
import { municipalityName } from '../texts.js';
import type { CommandFeature, ModeratorFeature } from './command-feature.js';
import { plain } from './command-feature.js';
import { handleAnnounce } from './commands/announce.js';
import { CITIZEN_FEATURES } from './commands/citizen.js';
import { INCIDENT_ACTION_FEATURES } from './commands/incident-actions.js';
import { LOGIN_FEATURE } from './commands/login.js';
import { MARK_INCIDENT_FEATURE } from './commands/mark-incident.js';
import { QUERY_FEATURES } from './commands/queries.js';
import { handleReport } from './commands/report.js';

const REPORT: ModeratorFeature = {
  audience: 'moderator',
  names: ['report'],
  usage: 'mod_usage_report',
  run: (request, deps) => handleReport(request.command.args, { ...deps, moderator: request.moderator }),
};

const ANNOUNCE: ModeratorFeature = {
  audience: 'moderator',
  names: ['announce'],
  usage: 'mod_usage_announce',
  // The command message's own id: a redelivered command posts nothing twice.
  run: (request, deps) =>
    handleAnnounce(request.command.args, { ...deps, moderator: request.moderator, requestKey: `${request.message.channel}:${request.message.externalId}` }),
};

const HELP: ModeratorFeature = {
  audience: 'moderator',
  names: ['help', 'start'],
  usage: 'mod_usage_help',
  run: (request, deps) =>
    plain(
      [
        request.moderator.role === 'regional'
          ? modText(deps.config, 'mod_help_regional')
          : modText(deps.config, 'mod_help_municipal', { municipality: municipalityName(deps.config, request.moderator.municipalityId) }),
        ...MODERATOR_FEATURES.map((f) => modText(deps.config, f.usage)),
        modText(deps.config, 'mod_help_buttons'),
      ].join('\n'),
    ),
};

/** Moderator commands in the order /help lists them. */
const MODERATOR_FEATURES: ModeratorFeature[] = [HELP, ...QUERY_FEATURES, ...INCIDENT_ACTION_FEATURES, MARK_INCIDENT_FEATURE, REPORT, ANNOUNCE, LOGIN_FEATURE];

/**
 * The dispatch order. Citizen commands come first: /status works for everyone in a private
 * dialog. `help` and `start` are moderator features; for anyone else the handler answers with
 * the citizens' help instead of a refusal.
 */
const COMMAND_FEATURES: readonly CommandFeature[] = [...CITIZEN_FEATURES, ...MODERATOR_FEATURES];

/** The first feature named `name`, or undefined: the handler's catch-all then applies. */
export function findFeature(name: string): CommandFeature | undefined {
  return COMMAND_FEATURES.find((feature) => feature.names.includes(name));
}
