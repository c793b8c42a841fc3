/**
 * Every command, in one ordered list: the first feature whose name matches runs. The catch-all
 * (unknown command) is not in the list: the handler applies it when nothing matched, so it is
 * always last.
 */
import type { CommandFeature, ModeratorFeature } from './command-feature.js';
import { plain } from './command-feature.js';
import { municipalityName } from '../jobs/format.js';
import { handleAnnounce, ANNOUNCE_USAGE } from './commands/announce.js';
import { CITIZEN_FEATURES } from './commands/citizen.js';
import { INCIDENT_ACTION_FEATURES } from './commands/incident-actions.js';
import { MARK_INCIDENT_FEATURE } from './commands/mark-incident.js';
import { QUERY_FEATURES } from './commands/queries.js';
import { handleReport, REPORT_USAGE } from './commands/report.js';

const REPORT: ModeratorFeature = {
  audience: 'moderator',
  names: ['report'],
  usage: `/report [период] — сводка за период. ${REPORT_USAGE.replace('Использование: ', '')}`,
  run: (request, deps) => handleReport(request.command.args, { ...deps, moderator: request.moderator }),
};

const ANNOUNCE: ModeratorFeature = {
  audience: 'moderator',
  names: ['announce'],
  usage: `/announce … — объявление для жителей. ${ANNOUNCE_USAGE.replace('Использование: ', '')}`,
  // The command message's own id: a redelivered command posts nothing twice.
  run: (request, deps) => handleAnnounce(request.command.args, { ...deps, moderator: request.moderator, requestKey: `${request.message.channel}:${request.message.externalId}` }),
};

const HELP: ModeratorFeature = {
  audience: 'moderator',
  names: ['help', 'start'],
  usage: '/help — эта справка',
  run: (request, deps) =>
    plain(
      [
        `Команды модератора (${request.moderator.role === 'regional' ? 'региональный: все обращения' : `муниципальный: обращения МО «${municipalityName(deps.config, request.moderator.municipalityId)}»`}):`,
        ...MODERATOR_FEATURES.map((f) => f.usage),
        'Кнопки на карточке: Принять, Закрыть, Открыть повторно — сразу; Уточнить, Ответить, Отклонить, Назначить — бот пришлёт подсказку под карточкой: ответьте на неё текстом или отправьте команду.',
      ].join('\n'),
    ),
};

/** Moderator commands in the order /help lists them. */
export const MODERATOR_FEATURES: ModeratorFeature[] = [HELP, ...QUERY_FEATURES, ...INCIDENT_ACTION_FEATURES, MARK_INCIDENT_FEATURE, REPORT, ANNOUNCE];

/**
 * The dispatch order. Citizen commands come first: /status works for everyone in a private
 * dialog. `help` and `start` are moderator features; for anyone else the handler answers with
 * the citizens' help instead of a refusal.
 */
export const COMMAND_FEATURES: readonly CommandFeature[] = [...CITIZEN_FEATURES, ...MODERATOR_FEATURES];

/** The first feature named `name`, or undefined: the handler's catch-all then applies. */
export function findFeature(name: string): CommandFeature | undefined {
  return COMMAND_FEATURES.find((feature) => feature.names.includes(name));
}
