/**
 * A region's registry for the console bench, shaped like a real one rather than an easy one:
 * incidents over `days` (a year by default: 200,000 of them are about 16,000 a month, more than
 * the busiest region's 250,000 messages a year would make) with a skewed topic mix, three municipalities and the regional queue,
 * departments routed by topic as config routes them, people holding open incidents, reopened
 * incidents with renewed deadlines, overdue ones, reports several people made, questions among
 * the complaints, and spikes over a few dozen incidents each. Deterministic: the same registry
 * on every run.
 */
import type { Config } from '../config.js';
import type { TopicId } from '../domain/detection.js';
import { authorKey } from '../domain/inbound-message.js';
import type { IncidentStatus } from '../domain/incident.js';
import type { SyntheticIncident, SyntheticSpike } from '../store/synthetic-incident-store.js';

/** Topics with their share of a region's complaints (housing and roads lead, as in the centres' reports). */
const TOPIC_WEIGHTS: [TopicId, number][] = [
  ['housing', 30],
  ['roads', 15],
  ['improvement', 14],
  ['waste', 10],
  ['transport', 8],
  ['health', 5],
  ['education', 4],
  ['social', 4],
  ['safety', 3],
  ['ecology', 3],
  ['communications', 2],
  ['other', 2],
];
const WORDS: Partial<Record<TopicId, string>> = {
  housing: 'нет воды',
  roads: 'яма на дороге',
  waste: 'не вывозят мусор',
  transport: 'автобус не ходит',
  improvement: 'не горит фонарь',
};
const STREETS = ['Лесная', 'Садовая', 'Ленина', 'Мира', 'Школьная', 'Новая', 'Заречная', 'Полевая'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SyntheticRegistry {
  incidents: SyntheticIncident[];
  spikes: SyntheticSpike[];
}

/** Pick by weight with `r` in [0, 1). */
function weighted<T>(items: readonly [T, number][], r: number): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let at = r * total;
  for (const [item, w] of items) {
    if (at < w) return item;
    at -= w;
  }
  return items.at(-1)![0];
}

/** `count` incidents over the `days` ending at `now`, on the communities `groups`, routed and held as `config` would (its departments and moderators). */
export function syntheticRegistry(
  count: number,
  groups: readonly number[],
  config: Pick<Config, 'departments' | 'moderators'>,
  now: number,
  days = 365,
): SyntheticRegistry {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const span = days * DAY;
  const holders = config.moderators.map((m) => ({ key: authorKey(m), name: m.name }));
  const department = (topic: TopicId, municipalityId: string | null) =>
    config.departments.find((d) => d.topics.includes(topic) && d.municipalityId === municipalityId)?.id ??
    config.departments.find((d) => d.topics.includes(topic) && d.municipalityId === null)?.id ??
    null;
  const incidents: SyntheticIncident[] = [];
  for (let i = 0; i < count; i += 1) {
    const createdAt = now - span + Math.floor((i / count) * span);
    const topic = weighted(TOPIC_WEIGHTS, rand());
    const municipalityId = weighted<string | null>(
      [
        ['zarechensk', 60],
        ['sosnovka', 30],
        [null, 10],
      ],
      rand(),
    );
    const urgency = rand() < 0.05 ? 'emergency' : 'normal';
    const old = now - createdAt > 3 * DAY;
    const status = weighted<IncidentStatus>(
      old
        ? [
            ['closed', 58],
            ['answered', 22],
            ['rejected', 5],
            ['accepted', 5],
            ['needs_info', 4],
            ['reopened', 3],
            ['new', 3],
          ]
        : [
            ['new', 35],
            ['accepted', 28],
            ['answered', 20],
            ['needs_info', 10],
            ['reopened', 4],
            ['closed', 3],
          ],
      rand(),
    );
    const acceptDueAt = createdAt + (urgency === 'emergency' ? 1 : 3) * HOUR;
    const answered = status === 'answered' || status === 'closed' || status === 'reopened';
    // About one answer in six is late; reactions within five hours.
    const answeredAt = answered ? createdAt + Math.floor((rand() < 0.83 ? 1 + rand() * 7 : 10 + rand() * 40) * HOUR) : null;
    // A reopened incident runs a renewed deadline from its reopening, a day after the answer.
    const answerDueAt = status === 'reopened' ? answeredAt! + DAY + 9 * HOUR : createdAt + (urgency === 'emergency' ? 4 : 9) * HOUR;
    const open = status === 'accepted' || status === 'needs_info' || status === 'reopened';
    incidents.push({
      groupId: groups[i % groups.length]!,
      authorId: 1_000_000 + i,
      text: `${WORDS[topic] ?? 'проблема'} на улице ${STREETS[i % STREETS.length]} ${i % 97}, обращение жителя ${i}`,
      kind: rand() < 0.08 ? 'question' : 'complaint',
      topic,
      urgency,
      municipalityId,
      departmentId: status === 'new' && rand() < 0.5 ? null : department(topic, municipalityId),
      holder: open && holders.length > 0 && rand() < 0.6 ? holders[Math.floor(rand() * holders.length)]! : null,
      status,
      createdAt,
      acceptedAt: status === 'new' || status === 'rejected' ? null : createdAt + Math.floor(rand() * 5 * HOUR),
      answeredAt,
      acceptDueAt,
      answerDueAt,
      reporters: weighted(
        [
          [1, 85],
          [2 + Math.floor(rand() * 2), 10],
          [4 + Math.floor(rand() * 5), 5],
        ],
        rand(),
      ),
    });
  }
  // A spike every ~2,000 incidents: up to 30 of one topic and municipality close together.
  const spikes: SyntheticSpike[] = [];
  for (let start = 0; start + 600 < count; start += 2_000) {
    const first = incidents[start]!;
    const indexes: number[] = [];
    for (let j = start; j < start + 600 && indexes.length < 30; j += 1) {
      if (incidents[j]!.topic === first.topic && incidents[j]!.municipalityId === first.municipalityId) indexes.push(j);
    }
    spikes.push({
      topic: first.topic,
      municipalityId: first.municipalityId,
      place: `ул. ${STREETS[start % STREETS.length]}`,
      startedAt: first.createdAt,
      incidentIndexes: indexes,
    });
  }
  return { incidents, spikes };
}
