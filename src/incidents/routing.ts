/**
 * Routing from config: which municipality and which department (or service provider) own an
 * incident. Pure: it reads only the config slices it is given.
 *
 * Municipality: the source community or chat's municipality; else the one of a place named in
 * the text (detection.place.municipalityId); else null, the regional queue.
 * Department: the owners of the incident's problem (`departments[].problems`) come before the
 * owners of its topic — a department that owns «лифты» gets the lift even where another owns
 * ЖКХ. Among the owners of either, the municipality's own come before regional ones, and among
 * those the body of the problem's `departmentKind` (a water utility for «нет горячей воды»),
 * then a municipal body before a service provider (a provider is usually assigned by a moderator
 * who knows the address); else null.
 */
import type { DepartmentConfig, MaxChatConfig, TelegramChatConfig, VkCommunityConfig } from '../config.js';
import type { PlaceMatch, TopicId } from '../domain/detection.js';
import type { SourceRef } from '../domain/inbound-message.js';
import type { Problem } from '../domain/problem.js';

export interface RoutingConfig {
  vk: { communities: readonly Pick<VkCommunityConfig, 'groupId' | 'municipalityId'>[] };
  telegram: { chats: readonly Pick<TelegramChatConfig, 'chatId' | 'municipalityId'>[] };
  max: { chats: readonly Pick<MaxChatConfig, 'chatId' | 'municipalityId'>[]; channels: readonly Pick<MaxChatConfig, 'chatId' | 'municipalityId'>[] };
  departments: readonly DepartmentConfig[];
}

/** The municipality of a message's source, or undefined when the source serves the whole region. */
export function sourceMunicipality(config: Omit<RoutingConfig, 'departments'>, source: SourceRef): string | undefined {
  let id: string | null | undefined;
  switch (source.platform) {
    case 'vk':
      id = config.vk.communities.find((c) => c.groupId === source.groupId)?.municipalityId;
      break;
    case 'telegram':
      id = config.telegram.chats.find((c) => c.chatId === source.chatId)?.municipalityId;
      break;
    case 'max':
      id = [...config.max.chats, ...config.max.channels].find((c) => c.chatId === source.chatId)?.municipalityId;
      break;
  }
  return id ?? undefined;
}

export function routeMunicipality(config: RoutingConfig, source: SourceRef, place: PlaceMatch | null): string | null {
  return sourceMunicipality(config, source) ?? place?.municipalityId ?? null;
}

const KIND_ORDER: Record<DepartmentConfig['kind'], number> = { department: 0, resource: 1, uk: 2, tszh: 3 };

/** What routing needs to know about an incident: its topic, its problem if any, its municipality. */
export interface RoutingSubject {
  topic: TopicId;
  problem: Pick<Problem, 'id' | 'departmentKind'> | null;
  municipalityId: string | null;
}

export function routeDepartment(config: Pick<RoutingConfig, 'departments'>, subject: RoutingSubject): string | null {
  const { topic, problem, municipalityId } = subject;
  const rank = (d: DepartmentConfig) => (problem?.departmentKind === d.kind ? -1 : KIND_ORDER[d.kind]);
  const best = (owners: DepartmentConfig[]) => {
    const local = owners.filter((d) => municipalityId !== null && d.municipalityId === municipalityId).sort((a, b) => rank(a) - rank(b));
    const regional = owners.filter((d) => d.municipalityId === null).sort((a, b) => rank(a) - rank(b));
    return local[0] ?? regional[0];
  };
  const ofProblem = problem ? best(config.departments.filter((d) => d.problems.includes(problem.id))) : undefined;
  return (ofProblem ?? best(config.departments.filter((d) => d.topics.includes(topic))))?.id ?? null;
}

/** Departments a moderator may assign an incident of `municipalityId` to: its own and the regional ones. */
export function assignableDepartments(config: Pick<RoutingConfig, 'departments'>, municipalityId: string | null): DepartmentConfig[] {
  return config.departments.filter((d) => d.municipalityId === null || d.municipalityId === municipalityId);
}
