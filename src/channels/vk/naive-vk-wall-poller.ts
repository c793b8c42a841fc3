import type { API } from 'vk-io';
import type { Config } from '../../config.js';
import { VkBatcher } from './vk-batch.js';

/**
 * The obvious way to read walls, kept only as the benchmark's baseline: one `wall.get` per
 * community and one `wall.getComments` per post, every cycle, whether anything changed or not.
 * It ingests nothing; it reports how many requests a cycle costs.
 */
export class NaiveVkWallPoller {
  constructor(private readonly deps: { config: Config; api: API }) {}

  async pollOnce(): Promise<{ requests: number; comments: number }> {
    const { config, api } = this.deps;
    const batcher = new VkBatcher(api, false);
    let comments = 0;
    const communities = config.vk.communities.filter((c) => c.watchWall);
    const walls = await batcher.run(communities.map((c) => ({ method: 'wall.get', params: { owner_id: -c.groupId, count: config.vk.postsPerCommunity } })));
    const calls = communities.flatMap((c, i) => {
      const wall = walls[i];
      const items = wall?.ok ? ((wall.value as { items?: { id: number }[] }).items ?? []) : [];
      return items.map((post) => ({
        method: 'wall.getComments',
        params: { owner_id: -c.groupId, post_id: post.id, count: 100, preview_length: 0, thread_items_count: 10 },
      }));
    });
    for (const result of await batcher.run(calls)) {
      if (result.ok) comments += ((result.value as { items?: unknown[] }).items ?? []).length;
    }
    return { requests: batcher.requests, comments };
  }
}

/** Requests the naive approach spends per cycle: one wall.get per community plus one wall.getComments per post. */
export function naivePollRequests(communities: number, postsPerCommunity: number): number {
  return communities + communities * postsPerCommunity;
}
