import { describe, expect, it } from 'vitest';
import { executeCode } from '../../../src/channels/vk/vk-batch.js';
import { vkRandomId } from '../../../src/channels/vk/vk-random-id.js';
import { cursorAfterOwnComment } from '../../../src/channels/vk/vk-wall-cursor.js';

describe('vkRandomId', () => {
  it('should give the same positive 31-bit id for the same key', () => {
    const id = vkRandomId('ack:42');
    expect(vkRandomId('ack:42')).toBe(id);
    expect(id).toBeGreaterThan(0);
    expect(id).toBeLessThanOrEqual(0x7fffffff);
  });

  it('should spread different keys over different ids', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `ack:${i}`);
    expect(new Set(keys.map(vkRandomId)).size).toBeGreaterThan(9_990);
  });

  it('should hash non-Latin keys by their UTF-8 bytes', () => {
    expect(vkRandomId('статус:1')).not.toBe(vkRandomId('статус:2'));
    expect(vkRandomId('')).toBeGreaterThan(0);
  });
});

describe('executeCode', () => {
  it('should fold calls into one VKScript return of an array', () => {
    expect(
      executeCode([
        { method: 'wall.get', params: { owner_id: -1, count: 20 } },
        { method: 'wall.getComments', params: { owner_id: -1, post_id: 5, preview_length: 0 } },
      ]),
    ).toBe('return [API.wall.get({"owner_id":-1,"count":20}),API.wall.getComments({"owner_id":-1,"post_id":5,"preview_length":0})];');
  });
});

describe('cursorAfterOwnComment', () => {
  it('should count our own comment once, and not when the poller has already seen past it', () => {
    const cursor = { count: 3, maxCommentId: 10, countedAt: 1000 };
    const next = cursorAfterOwnComment(cursor, 12, 2000);
    expect(next).toEqual({ count: 4, maxCommentId: 10, countedAt: 1000, own: [12] });
    expect(cursorAfterOwnComment(next, 12, 2000)).toBeUndefined();
    expect(cursorAfterOwnComment(cursor, 9, 2000)).toBeUndefined();
    expect(cursorAfterOwnComment(undefined, 12, 2000)).toBeUndefined();
  });

  it('should not count a comment of a reply queued before the count was read: the count may hold it already', () => {
    expect(cursorAfterOwnComment({ count: 3, maxCommentId: 10, countedAt: 1000 }, 12, 1000)).toBeUndefined();
    expect(cursorAfterOwnComment({ count: 3, maxCommentId: 10 }, 12, 2000)).toBeUndefined();
  });
});
