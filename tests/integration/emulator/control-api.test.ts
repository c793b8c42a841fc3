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
    const body = new URLSearchParams({
      access_token: token,
      v: '5.199',
      owner_id: '-303',
      post_id: String(postId),
      message: 'Принято',
      reply_to_comment: String(commentId),
      guid: 'x',
    });
    await fetch(`${emu.vkApiBaseUrl}/wall.createComment`, { method: 'POST', body });
    const { result: sent } = await control('sent');
    expect((sent as { vkComments: unknown[] }).vkComments).toMatchObject([{ postId, replyToComment: commentId, text: 'Принято' }]);
    expect((await control('countRequests', { api: 'vk', method: 'wall.createComment' })).result).toBe(1);
  });

  it('should post photo, document and location messages on both platforms', async () => {
    const { result: community } = await control('addCommunity', { groupId: 304, name: 'МЦУ-2' });
    const token = (community as { communityToken: string }).communityToken;
    const { result: postId } = await control('addPost', { groupId: 304, text: 'Пост' });
    const photoComment = await control('addComment', {
      groupId: 304,
      postId,
      fromId: 9,
      attachments: [
        { type: 'photo', width: 800, height: 600 },
        { type: 'doc', title: 'схема.pdf' },
      ],
    });
    expect(photoComment.ok).toBe(true);
    const located = await control('sendCommunityMessage', { groupId: 304, fromId: 9, text: 'Здесь', geo: { latitude: 56.1, longitude: 40.4 } });
    expect(located.ok).toBe(true);
    const comments = (await (
      await fetch(`${emu.vkApiBaseUrl}/wall.getComments`, {
        method: 'POST',
        body: new URLSearchParams({ access_token: emu.addUserToken().token, v: '5.199', owner_id: '-304', post_id: String(postId) }),
      })
    ).json()) as { response: { items: { attachments?: { type: string }[] }[] } };
    expect(comments.response.items[0]?.attachments?.map((a) => a.type)).toEqual(['photo', 'doc']);
    const history = (await (
      await fetch(`${emu.vkApiBaseUrl}/messages.getHistory`, { method: 'POST', body: new URLSearchParams({ access_token: token, v: '5.199', peer_id: '9' }) })
    ).json()) as { response: { items: { geo?: { coordinates: unknown } }[] } };
    expect(history.response.items[0]?.geo?.coordinates).toEqual({ latitude: 56.1, longitude: 40.4 });

    const { token: botToken } = emu.addBot({ username: 'media_bot' });
    await control('addChat', { id: 77, type: 'private' });
    expect((await control('sendTelegramMessage', { chatId: 77, fromId: 77, text: 'Яма', photo: { width: 1024, height: 768 } })).ok).toBe(true);
    expect((await control('sendTelegramMessage', { chatId: 77, fromId: 77, document: { fileName: 'акт.pdf', mimeType: 'application/pdf' } })).ok).toBe(true);
    expect((await control('sendTelegramMessage', { chatId: 77, fromId: 77, location: { latitude: 56.1, longitude: 40.4 } })).ok).toBe(true);
    const updates = (await (await fetch(`${emu.telegramApiRoot}/bot${botToken}/getUpdates`)).json()) as { result: { message: Record<string, unknown> }[] };
    expect(updates.result.map((u) => ['photo', 'document', 'location'].find((k) => k in u.message))).toEqual(['photo', 'document', 'location']);
    expect(updates.result[0]?.message.caption).toBe('Яма');
    expect((await control('sendTelegramMessage', { chatId: 77, fromId: 77, photo: { width: 'big' } })).ok).toBe(false);
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
