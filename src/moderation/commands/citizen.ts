/**
 * What a citizen can ask the bot in a private dialog (VK community messages or a Telegram private
 * chat): the status of their own incident, the list of their incidents, help. A citizen sees
 * only incidents they reported or were linked to; asking for any other number gets the same
 * answer as a number that does not exist, so nothing leaks.
 */
import type { CitizenTemplateKey } from '../../domain/citizen-templates.js';
import { authorKey } from '../../domain/inbound-message.js';
import { formatLocal, statusName, topicLabel } from '../../texts.js';
import type { CitizenFeature, CommandReply, CommandRequest, ModerationDeps } from '../command-feature.js';
import { plain } from '../command-feature.js';
import { takeIncidentNumber } from '../parse-command.js';

const MINE_LIMIT = 10;

function statusCommand(request: CommandRequest, deps: ModerationDeps): CommandReply {
  const t = (key: CitizenTemplateKey, values: Record<string, string | number> = {}) => plain(deps.incidents.template(key, values));
  const number = takeIncidentNumber(request.command.args);
  if (!number.ok) return t('citizen_help');
  if (!request.message.isPrivate) return t('citizen_private_only', { number: number.id });
  const incident = deps.stores.incidents.get(number.id);
  if (!incident || !deps.stores.incidents.isReporter(incident.id, authorKey(request.message.author))) {
    return t('citizen_not_found', { number: number.id });
  }
  return t('citizen_status', {
    number: incident.id,
    status: statusName(incident.status),
    topic: topicLabel(incident.topic),
    date: formatLocal(incident.createdAt, deps.config.region.timezone),
  });
}

function mineCommand(request: CommandRequest, deps: ModerationDeps): CommandReply {
  if (!request.message.isPrivate) return plain(deps.incidents.template('citizen_help', {}));
  const mine = deps.stores.incidents.byReporter(authorKey(request.message.author), MINE_LIMIT);
  if (mine.length === 0) return plain(deps.incidents.template('citizen_mine_none', {}));
  const tz = deps.config.region.timezone;
  const list = mine
    .map((i) =>
      deps.incidents.template('citizen_mine_line', {
        number: i.id,
        date: formatLocal(i.createdAt, tz),
        status: statusName(i.status),
        topic: topicLabel(i.topic),
      }),
    )
    .join('\n');
  return plain(deps.incidents.template('citizen_mine', { list }));
}

export const CITIZEN_FEATURES: CitizenFeature[] = [
  { audience: 'citizen', names: ['status'], run: statusCommand },
  { audience: 'citizen', names: ['mine'], run: mineCommand },
];
