import { z } from 'zod';
import { TOPIC_IDS } from '../domain/detection.js';

/**
 * What a region tunes in config/detector.json: thresholds, the rules' phrases and weights,
 * the urgency phrases and the topics' words. Phrases are plain Russian («нет воды»); see
 * PhraseMatcher for `*` and `#`.
 */

/** What a rule says about a message; the detector combines roles (thanks + problem = sarcasm). */
export const RULE_ROLES = ['problem', 'appeal', 'request', 'thanks', 'resolved', 'advertising', 'official', 'chatter'] as const;
export type RuleRole = (typeof RULE_ROLES)[number];

const RuleSchema = z.object({
  id: z.string().min(1),
  role: z.enum(RULE_ROLES),
  /** Shown to moderators among the reasons, e.g. «проблема: нет воды». */
  label: z.string().min(1),
  /** Added to the log-odds once when any phrase fires; negative for thanks, ads, official replies. */
  weight: z.number(),
  phrases: z.array(z.string().min(1)).min(1),
  /** true: a phrase with a negation word just before or inside it does not fire («проблема не решена» is no "resolved"). */
  unlessNegated: z.boolean().default(false),
  /** true: with this rule, thanks is politeness or sarcasm («просьба поправить знак, спасибо»; «спасибо, что опять нет воды»), not an appreciation. */
  overridesThanks: z.boolean().default(false),
  /** The rule fires only in messages of at most this many words (a bot command, a greeting); default: any length. */
  maxWords: z.number().int().positive().optional(),
});
/** One rule of config/detector.json: phrases that, when any fires, add `weight` to the log-odds. */
export type RuleConfig = z.infer<typeof RuleSchema>;

const TopicSchema = z.object({
  /** How people call the topic, for moderators' reasons. */
  label: z.string().min(1),
  /** Words and phrases that point at the topic; each hit adds `topicWordWeight` to its score. */
  words: z.array(z.string().min(1)).default([]),
});

/** Validates config/detector.json; the loader refuses a file that fails it, naming the field. */
export const DetectorConfigSchema = z
  .object({
    thresholds: z
      .object({
        /** Score at or above which the bot registers an incident and answers publicly. */
        reply: z.number().min(0).max(1),
        /** Score at or above which moderators see the message as «проверить». */
        review: z.number().min(0).max(1),
      })
      .refine((t) => t.review <= t.reply, { message: 'review must not exceed reply' }),
    language: z.object({
      allowed: z.array(z.string().regex(/^[a-z]{3}$/)).min(1),
      francMinLetters: z.number().int().min(1).default(12),
      /** Languages the bot answers in publicly; an appeal in another language goes to review. */
      replyLanguages: z.array(z.string().regex(/^[a-z]{3}$/)).min(1),
    }),
    model: z.object({
      /** Weight of the statistical model's log-odds against the rules; 0 turns it off. */
      weight: z.number().min(0).default(1),
      /** The model's log-odds are clipped to ±clip so no text outvotes every rule. */
      clip: z.number().positive().default(6),
      /** Added to the log-odds of every message (moves all scores). */
      bias: z.number().default(0),
      /** A text shorter than this with no problem or appeal rule is not replied to on the model's word alone («Жду ответа»): review. */
      aloneMinWords: z.number().int().min(0).default(3),
    }),
    /** Words allowed between two words of a phrase. */
    phraseGap: z.number().int().min(0).max(5).default(2),
    negation: z.object({
      words: z.array(z.string().min(1)).min(1),
      /** How many words after a negation it still applies to. */
      window: z.number().int().min(1).max(5).default(2),
    }),
    /** Services and things whose negation is a problem: «нет воды», «не горят фонари», «не вывозят». */
    negatedServices: z.object({ label: z.string(), weight: z.number(), words: z.array(z.string().min(1)).min(1) }),
    /** Thanks together with a problem or a plea (rules with overridesThanks, or a negated service) is sarcasm or politeness: the thanks weight is dropped and this added. */
    sarcasm: z.object({ label: z.string(), weight: z.number() }),
    rules: z.array(RuleSchema),
    urgency: z.object({ label: z.string(), phrases: z.array(z.string().min(1)) }),
    /** Each of a topic's words found adds this to the topic's log-probability (at most 3 words count). */
    topicWordWeight: z.number().min(0).default(1.5),
    /** The same for topics the model has no examples of: their words are the only evidence, so they weigh more. */
    unmodelledTopicWordWeight: z.number().min(0).default(2),
    /**
     * A topic the model has no or few examples of (health, education, … are absent from the
     * training data) starts from this probability, so its words can still win.
     */
    unmodelledTopicPrior: z.number().gt(0).lt(1).default(0.1),
    /** A topic the model saw fewer training complaints of than this counts as unmodelled: its words decide. */
    minTopicExamples: z.number().int().min(0).default(50),
    /** Texts shorter than this many words trust the topic model proportionally less than its words. */
    topicModelFullWords: z.number().int().min(1).default(3),
    /**
     * The same when the only topic words in a text belong to unmodelled topics («интернет опять лежит»):
     * the model never saw such complaints, so it needs a longer text to outvote those words.
     */
    unmodelledTopicModelFullWords: z.number().int().min(1).default(8),
    /** How the problem under a topic is chosen (the problems themselves are config/problems.json). */
    problems: z
      .object({
        /** The problem head's share within the chosen topic needed to name a problem; below it the problem is left unnamed (null) unless its words decide. */
        threshold: z.number().min(0).max(1).default(0.5),
      })
      .prefault({}),
    topics: z.record(z.string(), TopicSchema).refine((t) => Object.keys(t).every((k) => (TOPIC_IDS as readonly string[]).includes(k)), {
      message: `topic ids must be among ${TOPIC_IDS.join(', ')}`,
    }),
  })
  .strict();
/** config/detector.json after validation, defaults filled in. */
export type DetectorConfig = z.infer<typeof DetectorConfigSchema>;
