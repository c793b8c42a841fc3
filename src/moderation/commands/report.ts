/**
 * /report [period]: the digest's numbers for a period, on demand (periods: src/reports/period.ts).
 * A municipal moderator sees their municipality only.
 */
import type { Config, ModeratorConfig } from '../../config.js';
import { clipText } from '../../domain/clip-text.js';
import { modText } from '../../domain/moderator-templates.js';
import { safeText } from '../../domain/safe-text.js';
import { collectDigestStats } from '../../reports/digest-stats.js';
import { formatDigest } from '../../reports/digest-text.js';
import { parsePeriod, periodTitle } from '../../reports/period.js';
import type { Stores } from '../../store/stores.js';
import type { CommandReply } from '../command-feature.js';

export interface ReportContext {
  stores: Pick<Stores, 'stats'>;
  config: Config;
  clock: () => number;
  /** The moderator who asked (already checked to be a configured moderator). */
  moderator: ModeratorConfig;
}

/** Handle `/report <args>`: the digest text for the period, in Telegram HTML. */
export function handleReport(args: string, ctx: ReportContext): CommandReply {
  const now = ctx.clock();
  const parsed = parsePeriod(args, now, ctx.config.region.timezone);
  if (!parsed)
    return {
      text: modText(ctx.config, 'mod_bad_period', { given: safeText(clipText(args.trim(), 40), ctx.moderator.platform), command: 'report' }),
      format: 'plain',
    };
  const municipalityId = ctx.moderator.role === 'municipal' ? (ctx.moderator.municipalityId ?? undefined) : undefined;
  const stats = collectDigestStats(ctx.stores.stats, parsed.period, municipalityId === undefined ? { asOf: now } : { asOf: now, municipalityId });
  return { text: formatDigest(stats, ctx.config, periodTitle(ctx.config, parsed.span)), format: 'html' };
}
