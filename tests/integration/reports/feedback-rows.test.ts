import { describe, expect, it } from 'vitest';
import type { ProblemId } from '../../../src/domain/problem.js';
import { readFeedbackRows } from '../../../src/store/label-store.js';
import { createStores } from '../../../src/store/stores.js';
import { jobsDb, seedIncident, seedMessage } from '../jobs/seed.js';

/** The moderators' labels as the training tool reads them (`npm run train -- --feedback DB`). */
describe('readFeedbackRows', () => {
  it('should give each labelled message once, its latest label winning, and leave out texts retention removed', () => {
    const db = jobsDb();
    const { labels } = createStores(db);
    const moderatorKey = 'tg:9001';
    const corrected = seedIncident(db, { createdAt: 1, text: 'В подъезде не работает лифт' });
    const rejected = seedIncident(db, { createdAt: 2, text: 'Продам гараж' });
    const missed = seedMessage(db, { receivedAt: 3, text: 'Соседи, у кого нет горячей воды?' });
    const cleared = seedMessage(db, { receivedAt: 4, text: null });
    const messageOf = (incident: number) => (db.prepare('SELECT message_id FROM incidents WHERE id = ?').get(incident) as { message_id: number }).message_id;

    labels.record(
      {
        messageId: messageOf(corrected),
        incidentId: corrected,
        label: 'complaint',
        topic: 'housing',
        problem: 'heating' as ProblemId,
        action: 'topic',
        moderatorKey,
      },
      10,
    );
    labels.record(
      {
        messageId: messageOf(corrected),
        incidentId: corrected,
        label: 'complaint',
        topic: 'housing',
        problem: 'lift' as ProblemId,
        action: 'topic',
        moderatorKey,
      },
      11,
    );
    labels.record(
      { messageId: messageOf(rejected), incidentId: rejected, label: 'not_complaint', topic: 'housing', problem: null, action: 'reject', moderatorKey },
      12,
    );
    labels.record(
      { messageId: missed, incidentId: null, label: 'complaint', topic: 'housing', problem: 'no_hot_water' as ProblemId, action: 'incident', moderatorKey },
      13,
    );
    labels.record({ messageId: cleared, incidentId: null, label: 'complaint', topic: 'roads', problem: null, action: 'incident', moderatorKey }, 14);

    expect(readFeedbackRows(db)).toEqual([
      { id: `feedback:${messageOf(corrected)}`, text: 'В подъезде не работает лифт', label: 'complaint', topic: 'housing', problem: 'lift' },
      { id: `feedback:${messageOf(rejected)}`, text: 'Продам гараж', label: 'not_complaint', topic: null, problem: null },
      { id: `feedback:${missed}`, text: 'Соседи, у кого нет горячей воды?', label: 'complaint', topic: 'housing', problem: 'no_hot_water' },
    ]);
    expect(labels.count()).toBe(5);
  });
});
