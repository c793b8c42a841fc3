import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';

let emu: Emulator;

async function control(name: string, body: Record<string, unknown> = {}): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  const res = await fetch(`${emu.url}/control/${name}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as { ok: boolean; result?: unknown; error?: string };
}

beforeAll(async () => {
  emu = await Emulator.start({ seed: 11 });
});

afterAll(async () => {
  await emu.close();
});

describe('control API over HTTP', () => {
  it('should set up a community, a post and a comment, and report what the bot sent', async () => {
    const { result: community } = await control('addCommunity', { groupId: 303, name: 'МЦУ' });
    const token = (community as { communityToken: string }).communityToken;
    const { result: postId } = await control('addPost', { groupId: 303, text: 'Пост' });
    const { result: commentId } = await control('addComment', { groupId: 303, postId, fromId: 9, text: 'Нет воды' });
    const body = new URLSearchParams({ access_token: token, v: '5.199', owner_id: '-303', post_id: String(postId), message: 'Принято', reply_to_comment: String(commentId), guid: 'x' });
    await fetch(`${emu.vkApiBaseUrl}/wall.createComment`, { method: 'POST', body });
    const { result: sent } = await control('sent');
    expect((sent as { vkComments: unknown[] }).vkComments).toMatchObject([{ postId, replyToComment: commentId, text: 'Принято' }]);
    expect((await control('countRequests', { api: 'vk', method: 'wall.createComment' })).result).toBe(1);
  });

  it('should inject faults until cleared and refuse bad input with a readable error', async () => {
    expect((await control('injectFault', { api: 'telegram', kind: { telegram429: 2 }, times: null })).ok).toBe(true);
    const { token } = emu.addBot({ username: 'ctl_bot' });
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${emu.telegramApiRoot}/bot${token}/getMe`)).status).toBe(429);
    await control('clearFaults');
    expect((await fetch(`${emu.telegramApiRoot}/bot${token}/getMe`)).status).toBe(200);
    expect(await control('addPost', { groupId: 999, text: 'x' })).toEqual({ ok: false, error: 'unknown community 999' });
    expect((await control('noSuchRoute')).ok).toBe(false);
  });
});
