import { TOPIC_IDS, type AppealKind, type DetectContext, type Detection, type Detector, type TopicId, type Verdict } from '../domain/detection.js';
import { detectLanguage } from './detect-language.js';
import type { DetectorConfig, RuleConfig } from './detector-config.js';
import { Featurizer } from './featurizer.js';
import type { FeatureVector } from './hashed-features.js';
import { LinearModel, type ModelFile } from './linear-model.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { PlaceFinder, type GazetteerEntry } from './place-finder.js';
import type { Token } from './tokenize.js';

/** Everything the detector needs; built by the loader from config/ (or by tests directly). */
export interface DetectorDeps {
  config: DetectorConfig;
  model: ModelFile;
  gazetteer: readonly GazetteerEntry[];
}

/** The detection plus the internals eval and training want to see. */
export interface Analysis {
  detection: Detection;
  /** The topic the text would get if it were an appeal (eval scores topics on every labelled complaint). */
  topicIfAppeal: TopicId;
  modelLogit: number;
}

/** At most this many of a topic's words count, so a long text listing synonyms does not outvote the model. */
const MAX_TOPIC_WORDS = 3;
const REASON_WORDS = 4;

/**
 * The complaint detector: normalise → tokens and stems → language → rules and model → kind,
 * score and verdict → topic → urgency → place → reasons. Pure and synchronous; `detect`
 * never throws (a failure inside gives an 'ignore' detection saying so).
 */
export class ComplaintDetector implements Detector {
  private readonly featurizer: Featurizer;
  private readonly model: LinearModel;
  private readonly rules: PhraseMatcher<RuleConfig>;
  private readonly urgency: PhraseMatcher<true>;
  private readonly topicWords: PhraseMatcher<TopicId>;
  private readonly negations: Set<string>;
  private readonly services: Set<string>;
  private readonly places: PlaceFinder;
  /** Topics the model has enough training examples of to be trusted; the others are left to their words. */
  private readonly modelledTopics: Set<string>;

  /** The rules and thresholds; the model file itself is not kept (see LinearModel). */
  private readonly deps: Pick<DetectorDeps, 'config'>;

  constructor(deps: DetectorDeps) {
    const { config, model, gazetteer } = deps;
    this.deps = { config };
    const gap = { gap: config.phraseGap };
    this.model = new LinearModel(model);
    this.featurizer = new Featurizer(model.bits);
    const stem = this.featurizer.stem;
    this.rules = new PhraseMatcher(config.rules.flatMap((rule) => rule.phrases.map((phrase) => ({ phrase, tag: rule }))), stem, gap);
    this.urgency = new PhraseMatcher(config.urgency.phrases.map((phrase) => ({ phrase, tag: true as const })), stem, gap);
    this.topicWords = new PhraseMatcher(
      Object.entries(config.topics).flatMap(([id, t]) => t.words.map((phrase) => ({ phrase, tag: id as TopicId }))),
      stem,
      gap,
    );
    this.negations = new Set(config.negation.words.map((w) => w.toLowerCase()));
    this.services = new Set(config.negatedServices.words.map((w) => stem(w.toLowerCase().replace(/ё/g, 'е'))));
    this.places = new PlaceFinder(gazetteer, stem);
    this.modelledTopics = new Set(this.model.topicClasses.filter((_, k) => this.model.topicCounts[k]! >= config.minTopicExamples));
  }

  detect(text: string, context?: DetectContext): Detection {
    try {
      return this.analyse(text, context).detection;
    } catch (error) {
      return { ...nothing('und'), reasons: [`ошибка детектора: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200)] };
    }
  }

  /** The full analysis; may throw only on a bug, which `detect` turns into an 'ignore'. */
  analyse(text: string, context?: DetectContext, options: { alwaysTopic?: boolean } = {}): Analysis {
    const { config } = this.deps;
    const { normalized, tokens, features } = this.featurizer.view(text);
    const language = detectLanguage(normalized.text, config.language);
    if (!tokens.some((t) => /\p{L}/u.test(t.word))) {
      return { detection: { ...nothing(language), reasons: ['нет слов'] }, topicIfAppeal: 'other', modelLogit: 0 };
    }

    // === Rules and model → score
    const reasons: { weight: number; text: string }[] = [];
    const modelLogit = this.model.complaintLogit(features);
    const modelPart = config.model.weight * Math.max(-config.model.clip, Math.min(config.model.clip, modelLogit));
    let logit = config.model.bias + modelPart;
    reasons.push({ weight: Math.abs(modelPart), text: `модель: ${sigmoid(modelLogit).toFixed(2)}` });

    const fired = this.firedRules(tokens);
    const roles = new Set(fired.map((f) => f.rule.role));
    const negated = this.negatedServices(tokens);
    const problem = roles.has('problem') || negated.length > 0;
    const sarcasm = roles.has('thanks') && (negated.length > 0 || fired.some((f) => f.rule.overridesThanks));
    for (const { rule, phrase } of fired) {
      if (sarcasm && rule.role === 'thanks') continue;
      // «Согласна, у нас тоже нет воды», «ребят, нет света?»: residents talking about a real problem.
      if (problem && rule.role === 'chatter') continue;
      logit += rule.weight;
      reasons.push({ weight: Math.abs(rule.weight), text: `${rule.label}: «${phrase}»` });
    }
    if (negated.length > 0) {
      logit += config.negatedServices.weight;
      reasons.push({ weight: Math.abs(config.negatedServices.weight), text: `${config.negatedServices.label}: «${negated.slice(0, REASON_WORDS).join('», «')}»` });
    }
    if (sarcasm) {
      logit += config.sarcasm.weight;
      reasons.push({ weight: Math.abs(config.sarcasm.weight), text: config.sarcasm.label });
    }
    const score = sigmoid(logit);

    // === Kind and verdict
    let kind: AppealKind = 'none';
    if (score >= config.thresholds.review) kind = problem || roles.has('appeal') || !roles.has('request') ? 'complaint' : 'request';
    let verdict: Verdict = score >= config.thresholds.reply ? 'reply' : score >= config.thresholds.review ? 'review' : 'ignore';
    const evidence = problem || roles.has('appeal');
    if (verdict === 'reply' && !evidence && tokens.length < config.model.aloneMinWords) {
      verdict = 'review';
      reasons.push({ weight: 0, text: 'коротко и без признаков проблемы: на проверку' });
    }
    if (verdict === 'reply' && kind === 'request') {
      verdict = 'review';
      reasons.push({ weight: 0, text: 'вопрос без проблемы: на проверку' });
    }
    if (verdict === 'reply' && !config.language.replyLanguages.includes(language)) {
      verdict = 'review';
      reasons.push({ weight: 0, text: `язык ${language}: на проверку` });
    }
    if (verdict === 'ignore') kind = 'none';

    // === Topic, urgency, place
    // Topic, urgency and place matter only for appeals; most of a stream is not, so they are skipped.
    const isAppeal = kind !== 'none';
    const topicIfAppeal = isAppeal || options.alwaysTopic ? this.topic(tokens, features, reasons, isAppeal) : 'other';
    const urgent = isAppeal ? this.urgency.match(tokens) : [];
    if (urgent.length > 0) reasons.push({ weight: 0, text: `${config.urgency.label}: «${urgent.map((u) => u.phrase).slice(0, REASON_WORDS).join('», «')}»` });
    const place = isAppeal ? this.places.find(normalized.original, context) : null;
    if (language !== 'rus') reasons.push({ weight: 0, text: `язык: ${language}` });

    const detection: Detection = {
      isAppeal,
      kind,
      score: round(score),
      verdict,
      topic: isAppeal ? topicIfAppeal : null,
      problem: null,
      urgency: urgent.length > 0 ? 'emergency' : 'normal',
      language,
      place,
      reasons: reasons.sort((a, b) => b.weight - a.weight).map((r) => r.text),
    };
    return { detection, topicIfAppeal, modelLogit };
  }

  private firedRules(tokens: Token[]): { rule: RuleConfig; phrase: string }[] {
    const byRule = new Map<RuleConfig, string>();
    for (const hit of this.rules.match(tokens)) {
      if (byRule.has(hit.tag)) continue;
      if (hit.tag.unlessNegated && this.negatedAt(tokens, hit.start, hit.end)) continue;
      if (hit.tag.maxWords !== undefined && tokens.length > hit.tag.maxWords) continue;
      byRule.set(hit.tag, hit.phrase);
    }
    return [...byRule].map(([rule, phrase]) => ({ rule, phrase }));
  }

  /** A negation just before the phrase or between its words («проблема не решена»). */
  private negatedAt(tokens: Token[], start: number, end: number): boolean {
    const window = this.deps.config.negation.window;
    for (let j = Math.max(0, start - window); j <= end; j++) if (this.negations.has(tokens[j]!.word)) return true;
    return false;
  }

  /** «нет воды», «не горят», «без света»: a negation followed closely by a service word. */
  private negatedServices(tokens: Token[]): string[] {
    const found: string[] = [];
    const window = this.deps.config.negation.window;
    for (let i = 0; i < tokens.length; i++) {
      if (!this.negations.has(tokens[i]!.word)) continue;
      for (let j = i + 1; j <= i + window && j < tokens.length; j++) {
        if (this.services.has(tokens[j]!.stem)) {
          found.push(`${tokens[i]!.word} ${tokens[j]!.word}`);
          break;
        }
      }
    }
    return found;
  }

  private topic(tokens: Token[], features: FeatureVector, reasons: { weight: number; text: string }[], explain: boolean): TopicId {
    const { config } = this.deps;
    const modelled = this.modelledTopics;
    const scores = new Map<TopicId, number>();
    const words = new Map<TopicId, string[]>();
    for (const hit of this.topicWords.match(tokens)) {
      const seen = words.get(hit.tag);
      if (seen) seen.push(hit.phrase);
      else words.set(hit.tag, [hit.phrase]);
    }
    // A short text gives the model little evidence: its log-probabilities are scaled down, so the topic words decide.
    // When the only topic words belong to topics the model never learnt («интернет», «пенсия»), its guess among
    // the topics it knows is weak evidence against them, so it needs a longer text to outvote them.
    const onlyUnmodelled = words.size > 0 && [...words.keys()].every((id) => !modelled.has(id));
    const full = onlyUnmodelled ? config.unmodelledTopicModelFullWords : config.topicModelFullWords;
    const trust = Math.min(1, tokens.length / full);
    const floor = trust * Math.log(config.unmodelledTopicPrior);
    for (const id of TOPIC_IDS) scores.set(id, floor);
    const logits = this.model.topicLogits(features);
    const max = Math.max(...logits);
    const norm = Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0)) + max;
    this.model.topicClasses.forEach((c, k) => {
      if (scores.has(c as TopicId) && modelled.has(c)) scores.set(c as TopicId, Math.max(trust * (logits[k]! - norm), floor));
    });
    for (const [id, hits] of words) {
      const weight = modelled.has(id) ? config.topicWordWeight : config.unmodelledTopicWordWeight;
      scores.set(id, (scores.get(id) ?? 0) + weight * Math.min(hits.length, MAX_TOPIC_WORDS));
    }
    let best: TopicId = 'other';
    let bestScore = -Infinity;
    for (const [id, s] of scores) {
      if (s > bestScore) {
        best = id;
        bestScore = s;
      }
    }
    if (explain) {
      const label = config.topics[best]?.label ?? best;
      const hits = words.get(best);
      reasons.push({ weight: 0.5, text: hits ? `тема «${label}»: ${hits.slice(0, REASON_WORDS).join(', ')}` : `тема «${label}» (модель)` });
    }
    return best;
  }
}

function nothing(language: string): Detection {
  return { isAppeal: false, kind: 'none', score: 0, verdict: 'ignore', topic: null, problem: null, urgency: 'normal', language, place: null, reasons: [] };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round = (x: number): number => Math.round(x * 1000) / 1000;
