import { describe, expect, it } from 'vitest';
import { topicChoice, topicChoiceHelp } from '../../../src/moderation/topic-choice.js';
import { testConfig } from '../../helpers/index.js';

const { problems } = testConfig();

describe('a topic or a problem as a moderator names it', () => {
  it('should take a topic by its id or Russian name, before any problem of the same name', () => {
    expect(topicChoice('ЖКХ', problems)).toEqual({ kind: 'topic', topic: 'housing' });
    expect(topicChoice('roads', problems)).toEqual({ kind: 'topic', topic: 'roads' });
    // «мусор» is both the topic's name and an alias of «Не вывозят мусор»: the topic wins.
    expect(topicChoice('мусор', problems)).toEqual({ kind: 'topic', topic: 'waste' });
  });

  it('should take a problem by its id, label or alias, with its topic', () => {
    expect(topicChoice('гвс', problems)).toEqual({ kind: 'problem', topic: 'housing', problem: 'no_hot_water' });
    expect(topicChoice('  Нет горячей   воды ', problems)).toEqual({ kind: 'problem', topic: 'housing', problem: 'no_hot_water' });
    expect(topicChoice('ambulance', problems)).toEqual({ kind: 'problem', topic: 'health', problem: 'ambulance' });
  });

  it('should name nothing for an unknown or empty word, and help with the topics and a few problems', () => {
    expect(topicChoice('погода', problems)).toBeNull();
    expect(topicChoice('  ', problems)).toBeNull();
    const help = topicChoiceHelp(problems);
    expect(help.topics).toContain('ЖКХ');
    expect(help.problems).toContain('«нет холодной воды»');
  });
});
