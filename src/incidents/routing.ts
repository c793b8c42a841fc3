/**
 * Routing from config: which municipality and which department (or service provider) own an
 * incident. Pure: it reads only the config slices it is given.
 *
 * Municipality: the source community or chat's municipality; else the one of a place named in
 * the text (detection.place.municipalityId); else null, the regional queue.
 * Department: one of the municipality's departments owning the topic, preferring a municipal
 * body over a service provider (a provider is assigned by a moderator who knows the address);
 * else a regional one owning the topic; else null.
 */
import type { DepartmentConfig, TelegramChatConfig, MaxChatConfig, VkCommunityConfig } from '../config.js';
import type { PlaceMatch, TopicId } from '../domain/detection.js';
import type { SourceRef } from '../domain/inbound-message.js';

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

export function routeDepartment(config: Pick<RoutingConfig, 'departments'>, topic: TopicId, municipalityId: string | null): string | null {
  const owners = config.departments.filter((d) => d.topics.includes(topic));
  const local = owners.filter((d) => municipalityId !== null && d.municipalityId === municipalityId).sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return local[0]?.id ?? owners.find((d) => d.municipalityId === null)?.id ?? null;
}

/** Departments a moderator may assign an incident of `municipalityId` to: its own and the regional ones. */
export function assignableDepartments(config: Pick<RoutingConfig, 'departments'>, municipalityId: string | null): DepartmentConfig[] {
  return config.departments.filter((d) => d.municipalityId === null || d.municipalityId === municipalityId);
}
