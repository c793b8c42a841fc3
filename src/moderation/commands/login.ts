/**
 * /login: a one-time link to the web console. Only in a private chat with the bot (the link
 * signs in whoever opens it, so it must not land in a group), on any platform the moderator is
 * configured on: the reply goes back into the same dialog through the outbox like every reply.
 */
import { modText } from '../../domain/moderator-templates.js';
import type { ModeratorFeature } from '../command-feature.js';
import { plain } from '../command-feature.js';

export const LOGIN_FEATURE: ModeratorFeature = {
  audience: 'moderator',
  names: ['login'],
  usage: 'mod_usage_login',
  run: (request, deps) => {
    if (!request.message.isPrivate) {
      deps.logger.warn({ moderator: request.moderator.id }, '/login outside a private chat: refused');
      return plain(modText(deps.config, 'mod_login_private_only'));
    }
    if (!deps.loginLinks) return plain(modText(deps.config, 'mod_login_disabled'));
    const link = deps.loginLinks.issue(request.moderator);
    deps.logger.info({ moderator: request.moderator.id, platform: request.moderator.platform }, 'console sign-in link issued');
    return plain(modText(deps.config, 'mod_login_link', { link: link.url, minutes: link.minutes }));
  },
};
