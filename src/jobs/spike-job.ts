import type { Config } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import type { PlaceMatch, TopicId } from '../domain/detection.js';
import { moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import { countOf } from '../domain/plural.js';
import { type IncidentGroup, incidentGroup, type ProblemId } from '../domain/problem.js';
import { safeTelegramHtml } from '../domain/safe-text.js';
import { detectSpike, type SpikeVerdict } from '../domain/spike.js';
import { MS_PER_HOUR } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import { enqueueDirectNotices, noticeLines, planNotice } from '../moderation/moderator-notice.js';
import { outboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { SpikeCandidate } from '../store/spike-store.js';
import type { Stores } from '../store/stores.js';
import { escapeHtml, INCIDENTS, listFirst, municipalityName, responsibleModerators, snippet, streetName, topicAndProblem } from '../texts.js';

/** Incident numbers listed in one alert: an outage brings hundreds, and Telegram takes 4096 characters. */
const ALERT_MAX_LISTED = 30;

export interface SpikeJobDeps {
  stores: Stores;
  config: Config;
  clock: () => number;
  logger: Logger;
}

/** A spike found (or still going) in this run. */
export interface SpikeFinding {
  spikeId: number;
  /** True when this run opened the spike and queued its alert. */
  isNew: boolean;
  topic: TopicId;
  /** The problem counted; null: the topic's incidents without a problem. */
  problem: ProblemId | null;
  municipalityId: string | null;
  place: string | null;
  verdict: SpikeVerdict;
  incidentIds: number[];
}

type Row = SpikeCandidate;

interface Counts {
  current: Row[];
  baseline: number;
}

interface Group extends Counts {
  group: IncidentGroup;
  municipalityId: string | null;
  /** The same counts per street or settlement, for a rise in one place that the municipality's total hides. */
  places: Map<string, Counts>;
}

function placeName(row: Row): string | null {
  if (!row.place_json) return null;
  const place = JSON.parse(row.place_json) as PlaceMatch;
  return (place.street ? streetName(place.street) : place.settlement) ?? null;
}

/**
 * One open spike per problem (or, for incidents without one, per topic) and municipality:
 * `problem:no_hot_water|zarechensk`, `housing|zarechensk` (a topic's key as before problems, so a
 * spike going on across an upgrade is not alerted twice).
 */
export function spikeScopeKey(group: IncidentGroup, municipalityId: string | null): string {
  return `${group.kind === 'problem' ? `problem:${group.problem}` : group.topic}|${municipalityId ?? '-'}`;
}

const problemOf = (group: IncidentGroup): ProblemId | null => (group.kind === 'problem' ? group.problem : null);

/** The street or settlement named by at least half of the rows, e.g. 'ул. Ленина'. */
function commonPlace(rows: Row[]): { name: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const name = placeName(row);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] * 2 >= rows.length ? { name: best[0], count: best[1] } : null;
}

/**
 * Risk alerts: every run counts the incidents of each problem — or, for incidents without one,
 * each topic (so a stairwell light and a burst pipe are never one «нет воды» spike) — in each
 * municipality, and in each street or settlement of it, over the last
 * `spikes.windowHours` and tests them against the same window of the day on the previous
 * `spikes.baselineDays` days (see src/domain/spike.ts for the method). A spike raises one alert to
 * the moderators' chat; while it goes on, later runs extend it and link the new incidents to it,
 * without alerting again. Once it has been quiet for a whole window, a new rise is a new spike.
 */
export class SpikeJob {
  constructor(private readonly deps: SpikeJobDeps) {}

  run(): SpikeFinding[] {
    const { stores, config, clock, logger } = this.deps;
    const now = clock();
    const windowMs = config.spikes.windowHours * MS_PER_HOUR;
    const days = config.spikes.baselineDays;
    const rows = stores.spikes.windowIncidents(now, days, windowMs);
    const groups = new Map<string, Group>();
    for (const row of rows) {
      const of = incidentGroup(row);
      const key = spikeScopeKey(of, row.municipality_id);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { group: of, municipalityId: row.municipality_id, current: [], baseline: 0, places: new Map() }));
      const name = placeName(row);
      let place: Counts | undefined;
      if (name) {
        place = group.places.get(name);
        if (!place) group.places.set(name, (place = { current: [], baseline: 0 }));
      }
      for (const counts of place ? [group, place] : [group]) {
        if (now - row.created_at < windowMs) counts.current.push(row);
        else counts.baseline += 1;
      }
    }

    const findings: SpikeFinding[] = [];
    stores.transaction(() => {
      for (const [key, group] of groups) {
        if (group.current.length === 0) continue;
        const verdict = detectSpike(group.current.length, group.baseline, days, config.spikes);
        if (verdict.isSpike) {
          findings.push(this.record(key, group, verdict, now, windowMs));
          continue;
        }
        // One street can rise while the municipality's total stays within its noise. It is still
        // the scope's one spike (same key), so a street and its municipality never alert twice.
        for (const place of group.places.values()) {
          if (place.current.length < config.spikes.minCount) continue;
          const local = detectSpike(place.current.length, place.baseline, days, config.spikes);
          if (!local.isSpike) continue;
          findings.push(this.record(key, { ...group, ...place }, local, now, windowMs));
          break;
        }
      }
    });
    for (const f of findings.filter((x) => x.isNew)) {
      logger.warn(
        { spike_id: f.spikeId, topic: f.topic, problem: f.problem, municipality: f.municipalityId, count: f.verdict.count, expected: f.verdict.expected },
        'spike detected',
      );
    }
    return findings;
  }

  private record(key: string, group: Group, verdict: SpikeVerdict, now: number, windowMs: number): SpikeFinding {
    const { stores, config } = this.deps;
    const place = commonPlace(group.current);
    const active = stores.spikes.findActive(key, now - windowMs);
    let spikeId: number;
    if (active !== null) {
      spikeId = active;
      stores.spikes.extend(spikeId, now, verdict.count);
    } else {
      spikeId = stores.spikes.open(
        {
          scopeKey: key,
          topic: group.group.topic,
          problem: problemOf(group.group),
          municipalityId: group.municipalityId,
          place: place?.name ?? null,
          windowHours: config.spikes.windowHours,
          count: verdict.count,
          expected: verdict.expected,
          pValue: verdict.pValue,
        },
        now,
      );
    }
    stores.spikes.link(
      spikeId,
      group.current.map((r) => r.id),
      now,
    );

    const room = moderatorsRoom(config);
    if (active === null && room !== null) {
      const body = this.alertText(group, verdict, place);
      // Moderators of the chat's platform are mentioned there; the others are written to where they work.
      const plan = planNotice(responsibleModerators(config, group.municipalityId), { config, stores });
      const hint = alertText(config, 'alert_spike_hint');
      stores.outbox.enqueue(
        {
          idempotencyKey: outboxKey({ kind: 'spike', spikeId }),
          message: { destination: roomMessage(room), text: [body, ...noticeLines(plan, config, 'alert_responsible'), hint].join('\n'), format: 'html' },
          purpose: 'alert',
          priority: OUTBOX_PRIORITY.alert,
        },
        now,
      );
      enqueueDirectNotices(plan.direct, `${body}\n${hint}`, `spike-${spikeId}`, { config, stores, clock: this.deps.clock });
    }
    return {
      spikeId,
      isNew: active === null,
      topic: group.group.topic,
      problem: problemOf(group.group),
      municipalityId: group.municipalityId,
      place: place?.name ?? null,
      verdict,
      incidentIds: group.current.map((r) => r.id),
    };
  }

  /** The alert in Telegram HTML without who is told: config texts (`alert_spike*`), escaped values. */
  private alertText(group: Group, verdict: SpikeVerdict, place: { name: string; count: number } | null): string {
    const { config } = this.deps;
    const lines = [
      alertText(config, 'alert_spike', {
        topic: escapeHtml(topicAndProblem(config, { topic: group.group.topic, problem: problemOf(group.group) })),
        municipality: escapeHtml(municipalityName(config, group.municipalityId)),
        place: place ? alertText(config, 'alert_spike_place', { place: escapeHtml(place.name), count: place.count, total: verdict.count }) : '',
        count: countOf(verdict.count, INCIDENTS),
        hours: config.spikes.windowHours,
        expected: verdict.expected.toFixed(1).replace('.', ','),
        p: verdict.pValue.toExponential(1),
        list: listFirst(group.current, (r) => `№${r.id}`, ALERT_MAX_LISTED),
      }),
    ];
    const examples = [...new Set(group.current.map((r) => snippet(r.text)).filter(Boolean))].slice(-config.spikes.examples);
    if (examples.length > 0) lines.push(alertText(config, 'alert_spike_examples', { examples: examples.map((t) => `— «${safeTelegramHtml(t)}»`).join('\n') }));
    return lines.join('\n');
  }
}
