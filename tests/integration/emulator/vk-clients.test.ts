import http from 'node:http';
import type https from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, APIError } from 'vk-io';
import { Emulator } from '../../../src/emulator/emulator.js';

const GROUP_ID = 202;
const OWNER = -GROUP_ID;
let emu: Emulator;
let communityToken: string;
let userToken: string;
let serviceToken: string;
let clockMs: number;

/** vk-io needs an http.Agent for an http:// base URL; its typings only admit https.Agent, hence the cast. */
const vkApi = (token: string, extra: Partial<ConstructorParameters<typeof API>[0]> = {}): API =>
  new API({ token, apiBaseUrl: emu.vkApiBaseUrl, agent: new http.Agent() as unknown as https.Agent, ...extra });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  clockMs = Date.UTC(2026, 10, 23, 7, 0, 0);
  emu = await Emulator.start({ seed: 3, clock: () => clockMs });
  communityToken = emu.addCommunity({ groupId: GROUP_ID, name: 'Администрация района' }).communityToken;
  userToken = emu.addUserToken().token;
  serviceToken = emu.addServiceToken().token;
});

afterEach(async () => {
  await emu.close();
});

describe('vk-io against the VK emulator', () => {
  it('should list wall posts newest first with their comment counts', async () => {
    const first = emu.addPost(GROUP_ID, { text: 'Старый пост', date: 1_700_000_000 });
    const second = emu.addPost(GROUP_ID, { text: 'Новый пост', date: 1_700_000_100 });
    emu.addComment({ groupId: GROUP_ID, postId: first, fromId: 11, text: 'Комментарий' });
    const wall = await vkApi(serviceToken).wall.get({ owner_id: OWNER, count: 100 });
    expect(wall.count).toBe(2);
    expect(wall.items.map((p) => p.id)).toEqual([second, first]);
    expect(wall.items[1]?.comments?.count).toBe(1);
  });

  it('should return comments with thread replies and cut text unless preview_length is 0', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Ремонт дорог' });
    const long = 'Яма у дома 5 на улице Ленина, уже второй месяц никто не чинит, машины ломают подвеску, помогите';
    const root = emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 11, text: long });
    const reply = emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 12, text: 'Подтверждаю', replyToCommentId: root });
    emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 13, text: 'И я', replyToCommentId: reply });
    const api = vkApi(userToken);

    const cut = await api.wall.getComments({ owner_id: OWNER, post_id: post, thread_items_count: 10 });
    expect(cut.count).toBe(3);
    expect(cut.current_level_count).toBe(1);
    expect(Array.from(cut.items[0]?.text ?? '')).toHaveLength(90);
    expect(cut.items[0]?.thread?.count).toBe(2);
    expect(cut.items[0]?.thread?.items?.map((c: { parents_stack?: number[] }) => c.parents_stack)).toEqual([[root], [root]]);
    expect(cut.items[0]?.thread?.items?.[1]?.reply_to_comment).toBe(reply);

    const full = await api.wall.getComments({ owner_id: OWNER, post_id: post, preview_length: 0 });
    expect(full.items[0]?.text).toBe(long);
    expect(full.items[0]?.thread?.items).toEqual([]);

    const thread = await api.wall.getComments({ owner_id: OWNER, post_id: post, comment_id: root, preview_length: 0, sort: 'desc' });
    expect(thread.items.map((c) => c.text)).toEqual(['И я', 'Подтверждаю']);
  });

  it('should post a comment once when the same guid is sent twice', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    const citizen = emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 11, text: 'Нет отопления' });
    const api = vkApi(communityToken);
    const params = { owner_id: OWNER, post_id: post, reply_to_comment: citizen, message: 'Обращение №7 зарегистрировано', guid: 'ack:7' };
    const first = await api.wall.createComment(params);
    const again = await api.wall.createComment(params);
    expect(again.comment_id).toBe(first.comment_id);
    expect(first.parents_stack).toEqual([citizen]);
    const sent = emu.sent().vkComments;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ ownerId: OWNER, postId: post, fromId: OWNER, replyToComment: citizen, guid: 'ack:7' });
  });

  it('should run 25 calls in one execute and report per-call errors in execute_errors', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 11, text: 'Комментарий' });
    const calls = Array.from({ length: 25 }, (_, i) =>
      i % 5 === 4
        ? `API.wall.getComments({owner_id: ${OWNER}, post_id: 9999})`
        : `API.wall.getComments({"owner_id": ${OWNER}, "post_id": ${post}, count: 100})`,
    );
    const result = (await vkApi(userToken).execute({ code: `return [${calls.join(',')}];` })) as unknown as {
      response: unknown[];
      errors: { method: string; code: number }[];
    };
    expect(result.response).toHaveLength(25);
    expect(result.response.filter((r) => r === false)).toHaveLength(5);
    expect(result.errors).toHaveLength(5);
    expect(result.errors[0]).toMatchObject({ method: 'wall.getComments', code: 100 });
    expect(emu.countRequests({ api: 'vk', method: 'execute' })).toBe(1);
    expect(emu.countRequests({ insideExecute: true })).toBe(25);

    const tooMany = `return [${[...calls, calls[0]].join(',')}];`;
    expect(await rejection(vkApi(userToken).execute({ code: tooMany }))).toMatchObject({ code: 13 });
    expect(await rejection(vkApi(userToken).execute({ code: 'var a = 1; return a;' }))).toMatchObject({ code: 12 });
  });

  it("should serve vk-io's own execute batching in parallel mode", async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    const api = vkApi(communityToken, { apiMode: 'parallel' });
    const results = await Promise.allSettled([
      api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Первый ответ', guid: 'a' }),
      api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Второй ответ', guid: 'b' }),
      api.wall.get({ owner_id: OWNER }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 27 });
    expect(emu.countRequests({ api: 'vk', method: 'execute' })).toBe(1);
    expect(emu.sent().vkComments.map((c) => c.text)).toEqual(['Первый ответ', 'Второй ответ']);
  });

  it('should deliver wall_reply_new and message_new through the Bots Long Poll', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    const { server, key, ts } = await vkApi(communityToken).groups.getLongPollServer({ group_id: GROUP_ID });
    const held = fetch(`${server}?act=a_check&key=${key}&ts=${ts}&wait=25`).then((r) => r.json());
    const commentId = emu.addComment({ groupId: GROUP_ID, postId: post, fromId: 11, text: 'Нет воды' });
    const first = (await held) as { ts: string; updates: { type: string; object: { id?: number } }[] };
    expect(first.updates[0]).toMatchObject({ type: 'wall_reply_new', group_id: GROUP_ID, object: { id: commentId, post_id: post } });

    const messageId = emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: 11, text: 'Когда дадут воду?' });
    const second = (await (await fetch(`${server}?act=a_check&key=${key}&ts=${first.ts}&wait=25`)).json()) as {
      updates: { type: string; object: { message: { id: number; peer_id: number; text: string } } }[];
    };
    expect(second.updates.map((u) => u.type)).toEqual(['message_new']);
    expect(second.updates[0]?.object.message).toMatchObject({ id: messageId, peer_id: 11, text: 'Когда дадут воду?' });

    expect(await (await fetch(`${server}?act=a_check&key=wrong&ts=${first.ts}&wait=25`)).json()).toEqual({ failed: 2 });
    for (let i = 0; i < 1001; i += 1) emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: 12, text: `сообщение ${i}` });
    expect(await (await fetch(`${server}?act=a_check&key=${key}&ts=${ts}&wait=25`)).json()).toMatchObject({ failed: 1 });
    emu.expireVkLongPollKeys(GROUP_ID);
    expect(await (await fetch(`${server}?act=a_check&key=${key}&ts=${first.ts}&wait=25`)).json()).toEqual({ failed: 2 });
  });

  it('should answer a community message once per random_id and only to users who wrote first', async () => {
    emu.sendCommunityMessage({ groupId: GROUP_ID, fromId: 11, text: 'Здравствуйте' });
    const api = vkApi(communityToken);
    const id = await api.messages.send({ peer_id: 11, random_id: 555, message: 'Обращение принято' });
    expect(await api.messages.send({ peer_id: 11, random_id: 555, message: 'Обращение принято' })).toBe(id);
    expect(emu.sent().vkMessages).toHaveLength(1);
    expect(await rejection(api.messages.send({ peer_id: 99, random_id: 1, message: 'Привет' }))).toMatchObject({ code: 901 });
    expect(await rejection(api.call('messages.send', { peer_id: 11, message: 'без random_id' }))).toMatchObject({ code: 100 });
  });

  it('should refuse token types the method does not accept, and unknown tokens', async () => {
    expect(await rejection(vkApi(communityToken).wall.get({ owner_id: OWNER }))).toMatchObject({ code: 27 });
    expect(await rejection(vkApi(serviceToken).execute({ code: 'return 1;' }))).toMatchObject({ code: 28 });
    expect(await rejection(vkApi(serviceToken).wall.createComment({ owner_id: OWNER, post_id: 1, message: 'x' }))).toMatchObject({ code: 28 });
    const unknown = await rejection(vkApi('not-a-token').wall.get({ owner_id: OWNER }));
    expect(unknown).toBeInstanceOf(APIError);
    expect(unknown).toMatchObject({ code: 5 });
  });

  it('should fail an injected flood control without side effects, then serve the retry', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    emu.injectFault({ api: 'vk', method: 'wall.createComment', kind: { vkError: 9 } });
    const api = vkApi(communityToken);
    expect(await rejection(api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Ответ', guid: 'g' }))).toMatchObject({ code: 9 });
    expect(emu.sent().vkComments).toHaveLength(0);
    await api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Ответ', guid: 'g' });
    expect(emu.sent().vkComments).toHaveLength(1);
    expect(emu.countRequests({ method: 'wall.createComment', outcome: 'fault' })).toBe(1);
  });

  it('should let vk-io retry error 6 on its own', async () => {
    emu.addPost(GROUP_ID, { text: 'Пост' });
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { vkError: 6 } });
    const wall = await vkApi(userToken).wall.get({ owner_id: OWNER });
    expect(wall.count).toBe(1);
    expect(emu.countRequests({ method: 'wall.get' })).toBe(2);
  });

  it('should fail a whole execute on error 6 inside it and a single call on other errors', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    const code = `return [API.wall.getComments({owner_id: ${OWNER}, post_id: ${post}}), API.wall.get({owner_id: ${OWNER}})];`;
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { vkError: 10 } });
    const partial = (await vkApi(userToken).execute({ code })) as unknown as { response: unknown[]; errors: { code: number }[] };
    expect(partial.response[1]).toBe(false);
    expect(partial.errors.map((e) => e.code)).toEqual([10]);

    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { vkError: 6 } });
    const res = await fetch(`${emu.vkApiBaseUrl}/execute`, { method: 'POST', body: new URLSearchParams({ access_token: userToken, v: '5.199', code }) });
    expect(await res.json()).toMatchObject({ error: { error_code: 6 } });
  });

  it('should surface HTTP 502 and malformed bodies to vk-io as failures without side effects', async () => {
    const post = emu.addPost(GROUP_ID, { text: 'Пост' });
    const api = vkApi(communityToken, { apiRetryLimit: 0 });
    emu.injectFault({ api: 'vk', method: 'wall.createComment', kind: { httpStatus: 502 } });
    expect(await rejection(api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Ответ' }))).toBeInstanceOf(Error);
    emu.injectFault({ api: 'vk', kind: { malformed: true } });
    expect(await rejection(api.wall.createComment({ owner_id: OWNER, post_id: post, message: 'Ответ' }))).toBeInstanceOf(Error);
    expect(emu.sent().vkComments).toHaveLength(0);
  });

  it('should surface a slow answer as a timeout', async () => {
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { delayMs: 20_000 } });
    const error = await rejection(vkApi(userToken, { apiTimeout: 200, apiRetryLimit: 0 }).wall.get({ owner_id: OWNER }));
    expect((error as Error).name).toBe('AbortError');
  });

  it('should answer error 6 above the configured requests per second per token', async () => {
    emu.setRateLimit({ api: 'vk', perSecond: 3 });
    const call = async (token: string): Promise<unknown> =>
      (await fetch(`${emu.vkApiBaseUrl}/users.get`, { method: 'POST', body: new URLSearchParams({ access_token: token, v: '5.199', user_ids: '1' }) })).json();
    emu.addVkUser({ id: 1, firstName: 'Павел', lastName: 'Дуров' });
    for (let i = 0; i < 3; i += 1) expect(await call(userToken)).toHaveProperty('response');
    expect(await call(userToken)).toMatchObject({ error: { error_code: 6 } });
    expect(await call(serviceToken)).toHaveProperty('response');
    clockMs += 1000;
    expect(await call(userToken)).toHaveProperty('response');
  });

  it('should end a held long poll promptly on close', async () => {
    const { server, key, ts } = await vkApi(communityToken).groups.getLongPollServer({ group_id: GROUP_ID });
    const held = fetch(`${server}?act=a_check&key=${key}&ts=${ts}&wait=90`).then((r) => r.json());
    await emu.waitForHeldPoll('vk_lp');
    await emu.close();
    expect(await held).toEqual({ ts, updates: [] });
  });
});
