import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { MS_PER_DAY } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import type { RetentionCounts } from '../store/retention-store.js';
import type { Stores } from '../store/stores.js';
import { anonymisedCardText } from '../texts.js';

export interface RetentionJobDeps {
  stores: Stores;
  config: Pick<Config, 'retention' | 'media'>;
  clock: () => number;
  logger: Logger;
}

export type RetentionResult = RetentionCounts & {
  /** Downloaded citizens' files deleted from media.dir (media.download). */
  filesDeleted: number;
};

/**
 * Retention of personal data, run daily:
 * - messages that were not appeals lose their text and author name `retention.nonAppealDays`
 *   after they were received (the row stays: it is what stops the same message being recorded twice);
 * - incidents closed or rejected more than `retention.closedIncidentDays` ago lose the citizen's
 *   text, name and platform id, and so do their messages, reporter rows and the sent cards that
 *   quoted them, and the citizen's events in the audit log (closed_at is the first closure, so the last change must be as old). Topic, place,
 *   municipality and every timestamp stay, so statistics do not change.
 * - the downloaded copies of those messages' photos and files (media.download) are deleted from
 *   media.dir after the commit that marked them; a file a crash left behind goes on the next run.
 * Each run is recorded in `retention_runs` for the digest. Running it twice deletes nothing more.
 */
export class RetentionJob {
  constructor(private readonly deps: RetentionJobDeps) {}

  async run(): Promise<RetentionResult> {
    const { stores, config, clock, logger } = this.deps;
    const { retention } = stores;
    const now = clock();
    const messageCutoff = now - config.retention.nonAppealDays * MS_PER_DAY;
    const incidentCutoff = now - config.retention.closedIncidentDays * MS_PER_DAY;
    const counts = stores.transaction((): RetentionCounts => {
      const messagesCleared = retention.clearNonAppealMessages(messageCutoff);
      const ids = retention.anonymisable(incidentCutoff);
      for (const id of ids) retention.anonymiseIncident(id, anonymisedCardText(id));
      const counts = { messagesCleared, incidentsAnonymised: ids.length };
      retention.recordRun(now, counts);
      return counts;
    });
    const result = { ...counts, filesDeleted: await this.deleteFiles() };
    logger.info(result, 'retention done');
    return result;
  }

  /** Delete the files retention marked; a file already gone counts as deleted. */
  private async deleteFiles(): Promise<number> {
    const { mediaFiles } = this.deps.stores;
    const dir = resolve(this.deps.config.media.dir);
    let deleted = 0;
    for (const file of mediaFiles.toDelete()) {
      try {
        if (file.path) await rm(join(dir, file.path), { force: true });
        mediaFiles.deleted(file.id);
        deleted += 1;
      } catch (error) {
        this.deps.logger.error({ err: error, mediaFileId: file.id }, "could not delete a citizen's file; retried on the next run");
      }
    }
    return deleted;
  }
}
