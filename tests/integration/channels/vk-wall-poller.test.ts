import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { NaiveVkWallPoller, naivePollRequests } from '../../../src/channels/vk/naive-vk-wall-poller.js';
import { createVkApi } from '../../../src/channels/vk/vk-client.js';
import { cursorAfterOwnComment, type WallCursor, wallCursorKey } from '../../../src/channels/vk/vk-wall-cursor.js';
import { VkWallPoller } from '../../../src/channels/vk/vk-wall-poller.js';
import type { Config } from '../../../src/config.js';
import { VK_WALL_CHANNEL } from '../../../src/domain/channel-id.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { Metrics } from '../../../src/ops/metrics.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock } from '../../helpers/index.js';
import { RecordingSink } from './recording-sink.js';
import { addCommunities, emulatorConfig, recordingLogger, SERVICE_TOKEN, silentLogger, USER_TOKEN } from './vk-fixtures.js';

const HOUR = 3_600_000;
let clock: ManualClock;
let emu: Emulator;
let db: Db;
let sink: RecordingSink;

const seconds = (ms: number): number => Math.floor(ms / 1000);

function poller(config: Config, reader: 'user' | 'service' = 'user'): VkWallPoller {
  const token = reader === 'user' ? USER_TOKEN : SERVICE_TOKEN;
  return new VkWallPoller({
    config,
    cursors: createStores(db).cursors,
    logger: silentLogger,
    clock: clock.now,
    api: createVkApi(config, token, config.vk.readerRequestsPerSecond),
    sink,
    readerKind: reader,
  });
}

/** `count` watched communities with one post each, polled once so their baseline is recorded. */
async function baselined(count: number): Promise<{ groups: number[]; posts: number[]; p: VkWallPoller }> {
  const groups = addCommunities(emu, count);
  const posts = groups.map((g) => emu.addPost(g, { text: 'Пост', date: seconds(clock.current) - 60 }));
  const p = poller(emulatorConfig(emu, groups));
  await p.pollOnce();
  return { groups, posts, p };
}

/** One watched community with a post, two hours old, of `threads` top-level comments with `replies` replies each. */
function postWithLongThreads(threads: number, replies: number): { group: number; config: Config; post: number; roots: number[] } {
  const [group] = addCommunities(emu, 1) as [number];
  const config = emulatorConfig(emu, [group]);
  const post = emu.addPost(group, { text: 'Авария', date: seconds(clock.current) - 7200 });
  const roots = Array.from({ length: threads }, (_, i) =>
    emu.addComment({ groupId: group, postId: post, fromId: 11 + i, text: `Корень ${i}`, date: seconds(clock.current) - 7000 }),
  );
  for (const root of roots)
    for (let i = 0; i < replies; i += 1)
      emu.addComment({ groupId: group, postId: post, fromId: 100 + i, text: `Ответ ${i}`, replyToCommentId: root, date: seconds(clock.current) - 6000 });
  return { group, config, post, roots };
}

beforeEach(async () => {
  clock = new ManualClock();
  emu = await Emulator.start({ clock: clock.now });
  emu.addUserToken({ token: USER_TOKEN });
  emu.addServiceToken({ token: SERVICE_TOKEN });
  db = freshDb();
  sink = new RecordingSink(db, clock.now);
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('VkWallPoller', () => {
  it('should record a baseline on the first run and then ingest exactly the new comments, thread replies included', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const monthAgo = seconds(clock.current - 30 * 24 * HOUR);
    const post = emu.addPost(group, { text: 'Отключение воды', date: monthAgo });
    const old = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Старый комментарий', date: monthAgo + 60 });
    emu.addComment({ groupId: group, postId: post, fromId: 12, text: 'Старый ответ', replyToCommentId: old, date: monthAgo + 120 });

    const first = await poller(config).pollOnce();
    expect(first).toMatchObject({ communities: 1, postsChecked: 1, postsFetched: 0, newComments: 0, errors: [] });
    expect(sink.recorded).toEqual([]);

    clock.advance(HOUR);
    const long = `Во дворе дома 7 по улице Ленина третий день нет горячей воды, управляющая компания не отвечает. ${'Просим помочь. '.repeat(10)}`;
    emu.addVkUser({ id: 22, firstName: 'Ирина', lastName: 'Соколова' });
    const top = emu.addComment({ groupId: group, postId: post, fromId: 21, text: long });
    const reply = emu.addComment({ groupId: group, postId: post, fromId: 22, text: 'У нас то же самое', replyToCommentId: old });
    const replyToReply = emu.addComment({ groupId: group, postId: post, fromId: 23, text: 'Подтверждаю', replyToCommentId: reply });
    emu.addComment({ groupId: group, postId: post, fromId: -group, text: 'Ответ сообщества' });
    const freshPost = emu.addPost(group, { text: 'Новый пост' });
    const underFresh = emu.addComment({ groupId: group, postId: freshPost, fromId: 24, text: 'Когда починят дорогу?' });

    const second = await poller(config).pollOnce();
    expect(second.errors).toEqual([]);
    expect(second.newComments).toBe(4);
    const byId = new Map(sink.recorded.map((m) => [m.externalId, m]));
    expect([...byId.keys()].sort()).toEqual([top, reply, replyToReply, underFresh].map((id) => `-${group}_${id}`).sort());
    expect(byId.get(`-${group}_${top}`)?.text).toBe(long);
    expect(byId.get(`-${group}_${reply}`)).toMatchObject({
      channel: 'vk_comment',
      thread: { channel: 'vk_comment', groupId: group, postId: post, commentId: reply, threadCommentId: old },
      author: { platform: 'vk', id: 22, name: 'Ирина Соколова', isBot: false },
      replyTo: { externalId: `-${group}_${old}`, authorId: 11 },
      source: { platform: 'vk', groupId: group },
      isPrivate: false,
      createdAt: seconds(clock.current) * 1000,
    });
    expect(byId.get(`-${group}_${replyToReply}`)?.thread).toMatchObject({ threadCommentId: old });

    const third = await poller(config).pollOnce();
    expect(third).toMatchObject({ requests: 1, postsFetched: 0, newComments: 0 });
  });

  it('should name people and communities from the profiles and groups of the same answers, with no extra request', async () => {
    const { groups, posts, p } = await baselined(2);
    const [first, second] = groups as [number, number];
    // The post had no comments at the baseline, so even a back-dated comment is new to the bot.
    const root = emu.addComment({ groupId: first, postId: posts[0]!, fromId: 31, text: 'Старый', date: seconds(clock.current) - 30 });

    clock.advance(60_000);
    emu.addVkUser({ id: 31, firstName: 'Анна', lastName: 'Петрова' });
    emu.addVkUser({ id: 32, firstName: 'Иван', lastName: 'Орлов' });
    emu.addComment({ groupId: first, postId: posts[0]!, fromId: 32, text: 'Нет воды', replyToCommentId: root });
    emu.addComment({ groupId: first, postId: posts[0]!, fromId: -second, text: 'Сообщество соседей: у нас тоже' });
    emu.addComment({ groupId: second, postId: posts[1]!, fromId: 31, text: 'Яма на дороге' });
    emu.resetRequestLog();
    const report = await p.pollOnce();
    expect(report).toMatchObject({ requests: 2, newComments: 4, errors: [] });
    expect(sink.recorded.map((m) => [m.source, m.author.id, m.author.name])).toEqual(
      expect.arrayContaining([
        [{ platform: 'vk', groupId: first }, 31, 'Анна Петрова'],
        [{ platform: 'vk', groupId: first }, 32, 'Иван Орлов'],
        [{ platform: 'vk', groupId: first }, -second, `Сообщество ${second}`],
        [{ platform: 'vk', groupId: second }, 31, 'Анна Петрова'],
      ]),
    );
    expect(sink.recorded).toHaveLength(4);
    expect(emu.countRequests({ method: 'users.get' })).toBe(0);
    expect(emu.countRequests({ method: 'groups.getById' })).toBe(0);
  });

  it('should ingest comments with name null when the profiles are malformed, alone or inside an execute', async () => {
    const { groups, posts, p } = await baselined(2);
    emu.addVkUser({ id: 41, firstName: 'Анна', lastName: 'Петрова' });

    // Two posts grew: their wall.getComments are folded into one execute, the first one broken.
    clock.advance(60_000);
    groups.forEach((g, i) => emu.addComment({ groupId: g, postId: posts[i]!, fromId: 41, text: `Нет света ${i}` }));
    emu.injectFault({
      api: 'vk',
      method: 'wall.getComments',
      kind: { corrupt: { profiles: [null, 'x', { id: 41, first_name: 7 }, { id: '41', first_name: 'Анна' }], groups: 'oops' } },
    });
    const folded = await p.pollOnce();
    expect(folded).toMatchObject({ requests: 2, newComments: 2, errors: [] });
    expect(sink.recorded.map((m) => [m.text, m.author.name])).toEqual([
      ['Нет света 0', null],
      ['Нет света 1', 'Анна Петрова'],
    ]);

    // One post grew: its wall.getComments goes out alone, with no profiles at all.
    clock.advance(60_000);
    emu.addComment({ groupId: groups[0]!, postId: posts[0]!, fromId: 41, text: 'Опять нет света' });
    emu.injectFault({ api: 'vk', method: 'wall.getComments', kind: { corrupt: { profiles: null, groups: null } } });
    const single = await p.pollOnce();
    expect(single).toMatchObject({ requests: 2, newComments: 1, errors: [] });
    expect(sink.recorded[2]).toMatchObject({ text: 'Опять нет света', author: { id: 41, name: null } });
  });

  it('should open a long thread to find a new reply that is not among the inline ones', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const post = emu.addPost(group, { text: 'Пост', date: seconds(clock.current) - 3600 });
    const root = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Корень', date: seconds(clock.current) - 3000 });
    for (let i = 0; i < 14; i += 1)
      emu.addComment({ groupId: group, postId: post, fromId: 100 + i, text: `Ответ ${i}`, replyToCommentId: root, date: seconds(clock.current) - 2000 });
    for (let i = 0; i < 3; i += 1) emu.addComment({ groupId: group, postId: post, fromId: 200 + i, text: `Верхний ${i}`, date: seconds(clock.current) - 1000 });
    const p = poller(config);
    await p.pollOnce();

    clock.advance(60_000);
    const late = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'Новый ответ в длинной ветке', replyToCommentId: root });
    emu.resetRequestLog();
    const report = await p.pollOnce();
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${late}`]);
    expect(sink.recorded[0]?.thread).toMatchObject({ threadCommentId: root });
    // wall.get, the first page, then the thread: three requests, each a single call.
    expect(report.requests).toBe(3);
  });

  it('should find a reply in the thread of an old comment beyond the first page of a busy post', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const post = emu.addPost(group, { text: 'Отключение света', date: seconds(clock.current) - 7200 });
    const oldest = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Первый', date: seconds(clock.current) - 7000 });
    for (let i = 0; i < 150; i += 1)
      emu.addComment({ groupId: group, postId: post, fromId: 100 + i, text: `Комментарий ${i}`, date: seconds(clock.current) - 6000 + i });
    const p = poller(config);
    await p.pollOnce();

    clock.advance(60_000);
    const reply = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'И у нас нет света', replyToCommentId: oldest });
    const report = await p.pollOnce();
    expect(report).toMatchObject({ newComments: 1, deferredPosts: 0, errors: [] });
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${reply}`]);
    expect(sink.recorded[0]?.thread).toMatchObject({ threadCommentId: oldest });
    expect(await p.pollOnce()).toMatchObject({ postsFetched: 0, newComments: 0 });
  });

  it('should find the replies under old comments of a busy post written in the very second of its baseline, and not the comments the baseline held', async () => {
    const { group, config, post, roots } = postWithLongThreads(150, 0);
    // Written in the second of the baseline, before it: part of what the baseline counts.
    emu.addComment({ groupId: group, postId: post, fromId: 30, text: 'До начала наблюдения', replyToCommentId: roots[3]! });
    const p = poller(config);
    await p.pollOnce();
    // The same second, after the baseline: new, though its date cannot tell.
    const replies = [roots[2]!, roots[140]!].map((root, i) =>
      emu.addComment({ groupId: group, postId: post, fromId: 31 + i, text: `И у нас ${i}`, replyToCommentId: root }),
    );
    const top = emu.addComment({ groupId: group, postId: post, fromId: 40, text: 'Когда починят?' });
    const report = await p.pollOnce();
    expect(report).toMatchObject({ newComments: 3, errors: [] });
    expect(sink.recorded.map((m) => m.externalId).sort()).toEqual([...replies, top].map((id) => `-${group}_${id}`).sort());
    expect(await p.pollOnce()).toMatchObject({ postsFetched: 0, newComments: 0 });
  });

  it("should not take the community's own reply, posted while a search runs, for one of the new comments it looks for", async () => {
    const { group, config, post, roots } = postWithLongThreads(150, 0);
    const p = poller(config);
    await p.pollOnce();
    clock.advance(60_000);
    // A citizen replies under an old comment on the second page …
    const reply = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'И у нас нет света', replyToCommentId: roots[2]! });
    // … and while the next search reads the first page, the bot answers someone under the newest comment.
    emu.injectFault({ api: 'vk', method: 'wall.getComments', kind: { delayMs: 200 } });
    const polled = p.pollOnce();
    while (emu.heldPolls('delayed') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const own = emu.addComment({ groupId: group, postId: post, fromId: -group, text: 'Обращение зарегистрировано', replyToCommentId: roots[149]! });
    // What the VK sender records with its delivery: the community's own comment, already counted.
    const cursors = createStores(db).cursors;
    cursors.set(wallCursorKey(group, post), cursorAfterOwnComment(cursors.get<WallCursor>(wallCursorKey(group, post)), own, clock.now())!, clock.now());
    expect(await polled).toMatchObject({ errors: [] });
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${reply}`]);
    expect(await p.pollOnce()).toMatchObject({ newComments: 0 });
  });

  it("should not let the community's own reply, counted into the cursor while the walls are read, hide a citizen's comment", async () => {
    const { group, config, post, roots } = postWithLongThreads(120, 0);
    const p = poller(config);
    await p.pollOnce();
    clock.advance(60_000);
    const reply = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'И у нас нет света', replyToCommentId: roots[5]! });
    // While the walls are read, the delivery records a reply of the community's that VK's count does not hold yet.
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { delayMs: 200 } });
    const polled = p.pollOnce();
    while (emu.heldPolls('delayed') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const cursors = createStores(db).cursors;
    cursors.set(wallCursorKey(group, post), cursorAfterOwnComment(cursors.get<WallCursor>(wallCursorKey(group, post)), reply + 1, clock.now())!, clock.now());
    await polled;
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${reply}`]);
  });

  it('should not let a comment written during a search end it before an older comment of the count is found, nor hand it over twice', async () => {
    const { group, config, post, roots } = postWithLongThreads(150, 0);
    const p = poller(config);
    await p.pollOnce();
    clock.advance(60_000);
    // In the count: a reply under an old comment on the second page.
    const older = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'У нас нет света', replyToCommentId: roots[2]! });
    clock.advance(10_000);
    // While the first page is read, someone replies under the newest comment: not in the count.
    emu.injectFault({ api: 'vk', method: 'wall.getComments', kind: { delayMs: 200 } });
    const polled = p.pollOnce();
    while (emu.heldPolls('delayed') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const during = emu.addComment({ groupId: group, postId: post, fromId: 32, text: 'И у нас', replyToCommentId: roots[149]! });
    await polled;
    expect(sink.recorded.map((m) => m.externalId).sort()).toEqual([older, during].map((id) => `-${group}_${id}`).sort());
    clock.advance(60_000);
    expect(await p.pollOnce()).toMatchObject({ newComments: 0 });
    expect(sink.recorded).toHaveLength(2);
  });

  it('should not count a comment handed over under an earlier count again, and so find the comment the new count promises', async () => {
    const { group, config, post, roots } = postWithLongThreads(150, 0);
    const p = poller(config);
    await p.pollOnce();
    clock.advance(60_000);
    // Written just before the walls are read: in that count, but too fresh to be sure of; handed over.
    const fresh = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'Нет света', replyToCommentId: roots[149]! });
    await p.pollOnce();
    clock.advance(60_000);
    const later = emu.addComment({ groupId: group, postId: post, fromId: 32, text: 'И у нас нет света', replyToCommentId: roots[2]! });
    clock.advance(10_000);
    await p.pollOnce();
    expect(sink.recorded.map((m) => m.externalId)).toEqual([fresh, later].map((id) => `-${group}_${id}`));
  });

  it('should open only the long threads that grew, and find new replies in each', async () => {
    const { group, config, post, roots } = postWithLongThreads(3, 12);
    const p = poller(config);
    await p.pollOnce();

    clock.advance(60_000);
    const first = emu.addComment({ groupId: group, postId: post, fromId: 31, text: 'Новый в ветке 0', replyToCommentId: roots[0]! });
    const second = emu.addComment({ groupId: group, postId: post, fromId: 32, text: 'Новый в ветке 2', replyToCommentId: roots[2]! });
    await p.pollOnce();
    expect(sink.recorded.map((m) => m.externalId).sort()).toEqual([first, second].map((id) => `-${group}_${id}`).sort());

    // The thread counts are remembered: a new reply in one thread opens that thread only.
    clock.advance(60_000);
    const third = emu.addComment({ groupId: group, postId: post, fromId: 33, text: 'Ещё один в ветке 1', replyToCommentId: roots[1]! });
    emu.resetRequestLog();
    const report = await p.pollOnce();
    expect(sink.recorded.at(-1)?.externalId).toBe(`-${group}_${third}`);
    expect(report).toMatchObject({ newComments: 1, errors: [] });
    expect(emu.countRequests({ method: 'wall.getComments', insideExecute: undefined })).toBe(2);
  });

  it('should keep the cursor of a post whose new comments a cycle cannot cover, count it, and catch up in the next cycles', async () => {
    const { group, config, post, roots } = postWithLongThreads(30, 11);
    const { logger, lines } = recordingLogger();
    const metrics = new Metrics({ stores: createStores(db), status: new ChannelStatus(), clock: clock.now, processMetrics: false });
    const api = createVkApi(config, USER_TOKEN, config.vk.readerRequestsPerSecond);
    const p = new VkWallPoller({ config, cursors: createStores(db).cursors, logger, clock: clock.now, api, sink, readerKind: 'user', observer: metrics });
    await p.pollOnce();

    clock.advance(60_000);
    // A new reply in every long thread: more threads to open than one cycle's budget.
    const replies = roots.map((root, i) => emu.addComment({ groupId: group, postId: post, fromId: 300 + i, text: `Новый ответ ${i}`, replyToCommentId: root }));
    const first = await p.pollOnce();
    expect(first.deferredPosts).toBe(1);
    expect(sink.recorded.length).toBeLessThan(replies.length);
    expect(lines.filter((l) => l.level === 40 && /next cycles/.test(l.msg))).toHaveLength(1);
    expect(await metrics.render()).toMatch(/^otklik_vk_wall_posts_deferred_total 1$/m);
    const second = await p.pollOnce();
    expect(second.deferredPosts).toBe(0);
    expect(sink.recorded.map((m) => m.externalId).sort()).toEqual(replies.map((id) => `-${group}_${id}`).sort());
    expect(await p.pollOnce()).toMatchObject({ postsFetched: 0, newComments: 0 });
  });

  it('should poll 100 communities × 20 posts with 5 requests when 4 posts have new comments, where the naive way needs 2100', async () => {
    const groups = addCommunities(emu, 100);
    const config = emulatorConfig(emu, groups);
    const posts = new Map<number, number[]>();
    for (const group of groups) {
      posts.set(
        group,
        Array.from({ length: 20 }, (_, i) => emu.addPost(group, { text: `Пост ${i}`, date: seconds(clock.current) - 86_400 + i })),
      );
    }
    emu.addComment({ groupId: groups[0]!, postId: posts.get(groups[0]!)![3]!, fromId: 5, text: 'Старый' });
    const p = poller(config);
    const baseline = await p.pollOnce();
    expect(baseline).toMatchObject({ requests: 4, communities: 100, postsChecked: 2000, newComments: 0 });

    clock.advance(60_000);
    const targets = [groups[0]!, groups[17]!, groups[50]!, groups[99]!];
    targets.forEach((group, i) => emu.addComment({ groupId: group, postId: posts.get(group)![i * 5]!, fromId: 40 + i, text: `Новый комментарий ${i}` }));
    emu.resetRequestLog();
    const report = await p.pollOnce();
    expect(report).toMatchObject({ requests: 5, postsChecked: 2000, postsFetched: 4, newComments: 4, errors: [] });
    expect(emu.countRequests({ api: 'vk', insideExecute: undefined, method: 'execute' })).toBe(5);
    expect(emu.countRequests({ api: 'vk', method: 'wall.getComments', insideExecute: true })).toBe(4);
    // The authors' names came with those answers.
    expect(sink.recorded.map((m) => m.author.name)).toEqual([40, 41, 42, 43].map((id) => `User${id} Test`));

    emu.resetRequestLog();
    const naive = await new NaiveVkWallPoller({ config, api: createVkApi(config, USER_TOKEN, 1000) }).pollOnce();
    expect(naive.requests).toBe(naivePollRequests(100, 20));
    expect(naive.requests).toBe(2100);
    expect(emu.countRequests({ api: 'vk' })).toBe(2100);
  }, 60_000);

  it('should ingest nothing again after a restart on the same database', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const post = emu.addPost(group, { text: 'Пост', date: seconds(clock.current) - 60 });
    await poller(config).pollOnce();
    clock.advance(60_000);
    emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Первый' });
    await poller(config).pollOnce();
    expect(sink.recorded).toHaveLength(1);

    const restarted = poller(config);
    const report = await restarted.pollOnce();
    expect(report).toMatchObject({ requests: 1, postsFetched: 0, newComments: 0 });
    expect(sink.recorded).toHaveLength(1);
  });

  it('should read with a service token using single calls and the same cursors', async () => {
    const groups = addCommunities(emu, 3);
    const config = emulatorConfig(emu, groups, { reader: 'service' });
    const post = emu.addPost(groups[1]!, { text: 'Пост', date: seconds(clock.current) - 60 });
    const p = poller(config, 'service');
    expect(await p.pollOnce()).toMatchObject({ requests: 3, errors: [] });
    clock.advance(60_000);
    const id = emu.addComment({ groupId: groups[1]!, postId: post, fromId: 11, text: 'Нет света' });
    emu.resetRequestLog();
    const report = await p.pollOnce();
    expect(report).toMatchObject({ requests: 4, newComments: 1, errors: [] });
    expect(emu.countRequests({ method: 'execute' })).toBe(0);
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${groups[1]}_${id}`]);
  });

  it('should go on with the other communities when one fails, and pick the failed one up next cycle', async () => {
    const { groups, posts, p } = await baselined(3);
    clock.advance(60_000);
    groups.forEach((g, i) => emu.addComment({ groupId: g, postId: posts[i]!, fromId: 50 + i, text: `Комментарий ${i}` }));
    emu.injectFault({ api: 'vk', method: 'wall.getComments', kind: { vkError: 10 } });
    const failed = await p.pollOnce();
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatchObject({ kind: 'retry' });
    expect(sink.recorded).toHaveLength(2);

    const next = await p.pollOnce();
    expect(next.errors).toEqual([]);
    expect(sink.recorded).toHaveLength(3);
  });

  it('should keep a comment whose text has broken UTF-16, repaired, and survive malformed answers', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const post = emu.addPost(group, { text: 'Пост', date: seconds(clock.current) - 60 });
    const p = poller(config);
    await p.pollOnce();
    clock.advance(60_000);
    emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Сломанный эмодзи \ud83d конец' });
    // One community: its single wall.get goes out alone, not folded into an execute.
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { malformed: true } });
    const broken = await p.pollOnce();
    expect(broken.errors[0]).toMatchObject({ groupId: group, kind: 'retry', message: expect.stringMatching(/malformed response/) });
    emu.injectFault({ api: 'vk', method: 'wall.getComments', kind: { malformed: 'shape' } });
    const wrongShape = await p.pollOnce();
    expect(wrongShape.errors[0]).toMatchObject({ groupId: group, postId: post, kind: 'retry' });
    expect(sink.recorded).toHaveLength(0);
    await p.pollOnce();
    expect(sink.recorded.map((m) => m.text)).toEqual(['Сломанный эмодзи \ufffd конец']);
  });

  it('should ingest a comment written in the very second of the first baseline under a post that had none', async () => {
    const [group] = addCommunities(emu, 1) as [number];
    const config = emulatorConfig(emu, [group]);
    const post = emu.addPost(group, { text: 'Пост', date: seconds(clock.current) - 3600 });
    const p = poller(config);
    await p.pollOnce();
    // The clock does not move: the comment carries the baseline's own second.
    const id = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Нет воды с утра' });
    const report = await p.pollOnce();
    expect(report).toMatchObject({ newComments: 1, errors: [] });
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${id}`]);
  });

  it('should report a refused reader token as fatal and mark the wall channel stopped', async () => {
    const groups = addCommunities(emu, 2);
    const config = emulatorConfig(emu, groups);
    const status = new ChannelStatus();
    const p = new VkWallPoller({
      config,
      cursors: createStores(db).cursors,
      logger: silentLogger,
      clock: clock.now,
      api: createVkApi(config, 'revoked-user-token', 20),
      sink,
      status,
      readerKind: 'user',
    });
    const report = await p.pollOnce();
    expect(report.errors.map((e) => e.kind)).toEqual(['fatal', 'fatal']);
    expect(report.requests).toBe(1);
    expect(status.get(VK_WALL_CHANNEL)).toMatchObject({ state: 'stopped', lastError: expect.stringMatching(/failed with 5/) });
  });
});
