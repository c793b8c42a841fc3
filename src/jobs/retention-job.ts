import type { Config } from '../config.js';
import { MS_PER_DAY } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import { anonymisedCardText } from '../texts.js';
import type { RetentionCounts } from '../store/retention-store.js';
import type { Stores } from '../store/stores.js';

export interface RetentionJobDeps {
  stores: Stores;
  config: Pick<Config, 'retention'>;
  clock: () => number;
  logger: Logger;
}

export type RetentionResult = RetentionCounts;

/**
 * Retention of personal data, run daily:
 * - messages that were not appeals lose their text and author name `retention.nonAppealDays`
 *   after they were received (the row stays: it is what stops the same message being recorded twice);
 * - incidents closed or rejected more than `retention.closedIncidentDays` ago lose the citizen's
 *   text, name and platform id, and so do their messages, reporter rows and the sent cards that
 *   quoted them, and the citizen's events in the audit log (closed_at is the first closure, so the last change must be as old). Topic, place,
 *   municipality and every timestamp stay, so statistics do not change.
 * Each run is recorded in `retention_runs` for the digest. Running it twice deletes nothing more.
 */
export class RetentionJob {
  constructor(private readonly deps: RetentionJobDeps) {}

  run(): RetentionResult {
    const { stores, config, clock, logger } = this.deps;
    const { retention } = stores;
    const now = clock();
    const messageCutoff = now - config.retention.nonAppealDays * MS_PER_DAY;
    const incidentCutoff = now - config.retention.closedIncidentDays * MS_PER_DAY;
    const result = stores.transaction((): RetentionResult => {
      const messagesCleared = retention.clearNonAppealMessages(messageCutoff);
      const ids = retention.anonymisable(incidentCutoff);
      for (const id of ids) retention.anonymiseIncident(id, anonymisedCardText(id));
      const counts = { messagesCleared, incidentsAnonymised: ids.length };
      retention.recordRun(now, counts);
      return counts;
    });
    logger.info(result, 'retention done');
    return result;
  }
}
