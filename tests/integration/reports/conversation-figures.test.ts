import { describe, expect, it } from 'vitest';
import { type OutboxKey, outboxKey } from '../../../src/outbox/outbox-key.js';
import { collectConversationFigures } from '../../../src/reports/conversation-figures.js';
import { createStores } from '../../../src/store/stores.js';
import { jobsDb, msk, seedIncident, seedMessage } from '../jobs/seed.js';

describe('the conversation figures', () => {
  it('should tie additions and private questions to what the bot sent about them, through the outbox keys', () => {
    const db = jobsDb();
    const stores = createStores(db);
    const now = msk('2026-11-23T12:00:00');
    const citizen = { kind: 'citizen' as const, id: 'vk:1' };
    const send = (key: OutboxKey, incidentId: number | null = null) =>
      stores.outbox.enqueue(
        {
          idempotencyKey: outboxKey(key),
          message: { destination: { kind: 'telegram', chatId: -100 }, text: 'x', format: 'plain' },
          purpose: 'card',
          incidentId,
        },
        now,
      );

    const incident = seedIncident(db, { createdAt: now });
    const edited = stores.incidents.appendEvent(incident, citizen, 'followup', null, null, { text: 'ещё' }, now);
    stores.incidents.appendEvent(incident, citizen, 'followup', null, null, { text: 'и ещё' }, now);
    send({ kind: 'card-edit', incidentId: incident, reason: { kind: 'event', eventId: edited } }, incident);
    // An edit for a press is no addition's edit.
    send({ kind: 'card-edit', incidentId: incident, reason: { kind: 'press', pressId: String(edited) } }, incident);

    const question = (incidentId: number | null) => {
      const id = seedMessage(db, { receivedAt: now, incidentId });
      db.prepare(`UPDATE messages SET is_private = 1, detection_json = '{"kind":"question"}' WHERE id = ?`).run(id);
      return id;
    };
    const viaFaq = question(null);
    const carded = seedIncident(db, { createdAt: now, kind: 'question' });
    question(carded);
    question(null);
    send({ kind: 'faq', messageId: viaFaq });
    send({ kind: 'card', incidentId: carded }, carded);

    expect(collectConversationFigures(stores.stats)).toMatchObject({ additions: 2, additionCardEdits: 1, privateQuestions: 3, privateQuestionsAnswered: 2 });
  });
});
