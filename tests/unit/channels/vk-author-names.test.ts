import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, vkExtendedNames, vkProfileNames, vkUserName } from '../../../src/channels/vk/vk-author-names.js';
import { normaliseVkComment } from '../../../src/channels/vk/vk-normalise.js';

describe('vkUserName', () => {
  it('should join first and last name as VK shows them', () => {
    expect(vkUserName({ id: 1, first_name: 'Ольга', last_name: 'Кузнецова' })).toBe('Ольга Кузнецова');
    expect(vkUserName({ id: 1, first_name: '  Ольга \n', last_name: '' })).toBe('Ольга');
  });

  it('should give null for a deleted profile, a nameless one and anything that is not a user object', () => {
    expect(vkUserName({ id: 1, first_name: 'DELETED', last_name: '', deactivated: 'deleted' })).toBeNull();
    expect(vkUserName({ id: 1, first_name: 3, last_name: null })).toBeNull();
    for (const raw of [null, 'Ольга', [], 42]) expect(vkUserName(raw)).toBeNull();
  });

  it('should repair broken UTF-16 and cut an absurdly long name', () => {
    expect(vkUserName({ id: 1, first_name: 'Ольга\ud83d', last_name: 'К' })).toBe('Ольга\ufffd К');
    expect(vkUserName({ id: 1, first_name: 'Я'.repeat(10_000), last_name: 'Б' })?.length).toBe(MAX_NAME_LENGTH);
  });
});

describe('vkProfileNames and vkExtendedNames', () => {
  it('should read profiles by id and communities under minus their id', () => {
    const answer = {
      items: [],
      profiles: [{ id: 5, first_name: 'Анна', last_name: 'Петрова' }],
      groups: [{ id: 101, name: 'Администрация города', screen_name: 'gorod' }],
    };
    expect([...vkExtendedNames(answer)]).toEqual([
      [5, 'Анна Петрова'],
      [-101, 'Администрация города'],
    ]);
  });

  it('should skip malformed entries and keep the good ones', () => {
    const profiles = [
      null,
      'x',
      { id: '5', first_name: 'А' },
      { id: -5, first_name: 'Б' },
      { id: 6.5, first_name: 'В' },
      { id: 7, first_name: 'Иван', last_name: 'Орлов' },
    ];
    expect([...vkProfileNames(profiles)]).toEqual([[7, 'Иван Орлов']]);
    expect([
      ...vkExtendedNames({
        profiles: 'oops',
        groups: [
          { id: 0, name: 'Ноль' },
          { id: 3, name: 17 },
          { id: 4, name: 'Сообщество' },
        ],
      }),
    ]).toEqual([[-4, 'Сообщество']]);
  });

  it('should give no names for answers without profiles or that are not objects', () => {
    for (const answer of [null, undefined, [], 'text', { items: [] }, { profiles: null, groups: {} }]) expect(vkExtendedNames(answer).size).toBe(0);
  });
});

describe('normaliseVkComment with author names', () => {
  it('should take the name of its author from the names of the same answer, and null when absent', () => {
    const authorNames = new Map([[5, 'Анна Петрова']]);
    const ctx = { groupId: 101, postId: 1, authorNames };
    const named = normaliseVkComment({ id: 10, from_id: 5, date: 1_700_000_000, text: 'Нет воды' }, ctx);
    const unnamed = normaliseVkComment({ id: 11, from_id: 6, date: 1_700_000_000, text: 'Нет света' }, ctx);
    expect(named.ok && named.message.author.name).toBe('Анна Петрова');
    expect(unnamed.ok && unnamed.message.author.name).toBeNull();
  });
});
