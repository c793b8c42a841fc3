/**
 * The second level of the taxonomy: problems under the twelve topics («Нет горячей воды» under
 * ЖКХ, «Скорая помощь» under здравоохранение), modelled on a management centre's own fine
 * topics. A region keeps them in `config/problems.json`; the detector names one when it is sure,
 * and everything that groups incidents (duplicates, spikes, announcements, routing, SLA, reports)
 * uses the problem where there is one and the topic otherwise.
 */
import type { TopicId, Urgency } from './detection.js';

/** A problem's stable id, e.g. `no_hot_water`; config, the model file and the database use it. */
export type ProblemId = string & { readonly __problemId: unique symbol };

/** The kind of body that usually answers a problem (config `departments[].kind`). */
export type DepartmentKind = 'department' | 'uk' | 'tszh' | 'resource';

export interface Problem {
  id: ProblemId;
  topic: TopicId;
  /** What moderators and citizens read: «Нет горячей воды». */
  label: string;
  /** Other names a moderator may type in `/topic`, `/announce тема=…` and the console («гвс»). */
  aliases: readonly string[];
  /** The centre's fine topics this problem covers, so files labelled with them score by problem. */
  centreTopics: readonly string[];
  /** Phrases that point at the problem (PhraseMatcher syntax); the detector's reasons and its fallback. */
  words: readonly string[];
  /** An incident of this problem is urgent whatever its words say. */
  urgency?: Urgency;
  /** Who usually answers it, preferred by routing among the departments owning the problem or topic. */
  departmentKind?: DepartmentKind;
}

/** How a group of incidents is named: by problem when there is one, else by topic. */
export type IncidentGroup = { kind: 'problem'; problem: ProblemId; topic: TopicId } | { kind: 'topic'; topic: TopicId };

/** The group an incident belongs to for duplicates, spikes and reports. */
export function incidentGroup(incident: { topic: TopicId; problem: ProblemId | null }): IncidentGroup {
  return incident.problem === null ? { kind: 'topic', topic: incident.topic } : { kind: 'problem', problem: incident.problem, topic: incident.topic };
}

/** A stable string for an {@link IncidentGroup}: `problem:no_hot_water`, `topic:housing`. */
export function incidentGroupKey(group: IncidentGroup): string {
  return group.kind === 'problem' ? `problem:${group.problem}` : `topic:${group.topic}`;
}

/**
 * The centre's fine-topic labels are written with a leading ★ on priority topics, with varying
 * case and ё: compared without them.
 */
export function normaliseCentreTopic(label: string): string {
  return label.replace(/★/g, '').replace(/ё/gi, 'е').replace(/\s+/g, ' ').trim().toLowerCase();
}

const normaliseName = (name: string): string => name.replace(/ё/gi, 'е').replace(/\s+/g, ' ').trim().toLowerCase();

/** The problems of a region, with the lookups the rest of the bot needs. Immutable once built. */
export class ProblemCatalog {
  private readonly byId = new Map<string, Problem>();
  private readonly byCentre = new Map<string, Problem>();
  private readonly byName = new Map<string, Problem>();

  /** @throws Error naming the duplicate when two problems share an id, or two claim one centre topic. */
  constructor(readonly problems: readonly Problem[]) {
    for (const problem of problems) {
      if (this.byId.has(problem.id)) throw new Error(`problem id "${problem.id}" is listed twice`);
      this.byId.set(problem.id, problem);
      for (const centre of problem.centreTopics) {
        const key = normaliseCentreTopic(centre);
        const owner = this.byCentre.get(key);
        if (owner) throw new Error(`centre topic «${centre}» is claimed by both "${owner.id}" and "${problem.id}"`);
        this.byCentre.set(key, problem);
      }
    }
    // Names resolve in order of precedence: ids, then labels, then aliases; the first problem to claim a name keeps it.
    for (const name of [(p: Problem) => [p.id], (p: Problem) => [p.label], (p: Problem) => p.aliases]) {
      for (const problem of problems) for (const n of name(problem)) if (!this.byName.has(normaliseName(n))) this.byName.set(normaliseName(n), problem);
    }
  }

  get(id: string): Problem | undefined {
    return this.byId.get(id);
  }

  has(id: string): id is ProblemId {
    return this.byId.has(id);
  }

  /** The problems under a topic, in config order. */
  ofTopic(topic: TopicId): Problem[] {
    return this.problems.filter((p) => p.topic === topic);
  }

  /** The problem covering a centre fine topic («★ Ямы во дворах»), if any. */
  byCentreTopic(label: string): Problem | undefined {
    return this.byCentre.get(normaliseCentreTopic(label));
  }

  /** A problem named by a person: its id, its label or one of its aliases, in any case. */
  find(name: string): Problem | undefined {
    return this.byName.get(normaliseName(name));
  }

  /** The label of a problem id, or the id itself when the catalog no longer has it (an old incident). */
  label(id: ProblemId): string {
    return this.byId.get(id)?.label ?? id;
  }
}

/** An empty catalog: a region without problems groups by topic only. */
export const NO_PROBLEMS = new ProblemCatalog([]);
