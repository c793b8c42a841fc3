import { type AppealKind, type DetectContext, type Detection, type Detector, TOPIC_IDS, type TopicId, type Verdict } from '../domain/detection.js';
import { NO_PROBLEMS, type ProblemCatalog, type ProblemId } from '../domain/problem.js';
import { detectLanguage } from './detect-language.js';
import type { DetectorConfig, RuleConfig } from './detector-config.js';
import { Featurizer } from './featurizer.js';
import type { FeatureVector } from './hashed-features.js';
import { LinearModel, type ModelFile, softmax } from './linear-model.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { type GazetteerEntry, PlaceFinder } from './place-finder.js';
import type { Token } from './tokenize.js';

/** Everything the detector needs; built by the loader from config/ (or by tests directly). */
export interface DetectorDeps {
  config: DetectorConfig;
  model: ModelFile;
  gazetteer: readonly GazetteerEntry[];
  /** The problems under the topics (config/problems.json); default: none, the detector names topics only. */
  problems?: ProblemCatalog;
}

/** The detection plus the internals eval and training want to see. */
export interface Analysis {
  detection: Detection;
  /** The topic the text would get if it were an appeal (eval scores topics on every labelled complaint). */
  topicIfAppeal: TopicId;
  /** The problem it would get (null when the detector is not sure), likewise. */
  problemIfAppeal: ProblemId | null;
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
  private readonly problemWords: PhraseMatcher<ProblemId>;
  private readonly problems: ProblemCatalog;
  /** Index of each topic class of the model's topic head in TOPIC_IDS order (-1: not a class). */
  private readonly topicClassIndex: Map<TopicId, number>;
  /** The topic of each class of the model's problem head; null for a problem the catalog no longer has. */
  /** The problem head's classes under each topic (indices into its classes). */
  private readonly problemClassesOf: Map<TopicId, number[]>;
  /** Problems the model's problem head has a class for. */
  private readonly learntProblems: Set<string>;
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
    this.featurizer = new Featurizer(this.model.features);
    this.problems = deps.problems ?? NO_PROBLEMS;
    const stem = this.featurizer.stem;
    this.rules = new PhraseMatcher(
      config.rules.flatMap((rule) => rule.phrases.map((phrase) => ({ phrase, tag: rule }))),
      stem,
      gap,
    );
    this.urgency = new PhraseMatcher(
      config.urgency.phrases.map((phrase) => ({ phrase, tag: true as const })),
      stem,
      gap,
    );
    this.topicWords = new PhraseMatcher(
      Object.entries(config.topics).flatMap(([id, t]) => t.words.map((phrase) => ({ phrase, tag: id as TopicId }))),
      stem,
      gap,
    );
    this.problemWords = new PhraseMatcher(
      this.problems.problems.flatMap((p) => p.words.map((phrase) => ({ phrase, tag: p.id }))),
      stem,
      gap,
    );
    this.topicClassIndex = new Map(this.model.topic.classes.map((c, k) => [c as TopicId, k]));
    this.problemClassesOf = new Map();
    (this.model.problem?.classes ?? []).forEach((id, j) => {
      const topic = this.problems.get(id)?.topic;
      if (topic) this.problemClassesOf.set(topic, [...(this.problemClassesOf.get(topic) ?? []), j]);
    });
    this.learntProblems = new Set(this.model.problem?.classes ?? []);
    this.negations = new Set(config.negation.words.map((w) => w.toLowerCase()));
    this.services = new Set(config.negatedServices.words.map((w) => stem(w.toLowerCase().replace(/ё/g, 'е'))));
    this.places = new PlaceFinder(gazetteer, stem);
    this.modelledTopics = new Set(this.model.topic.classes.filter((_, k) => this.model.topic.counts[k]! >= config.minTopicExamples));
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
      return { detection: { ...nothing(language), reasons: ['нет слов'] }, topicIfAppeal: 'other', problemIfAppeal: null, modelLogit: 0 };
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
    // Thanks beside a problem is sarcasm or politeness — unless the problem is thanked for being solved («яму заделали, спасибо»).
    const sarcasm = roles.has('thanks') && !roles.has('resolved') && (negated.length > 0 || fired.some((f) => f.rule.overridesThanks));
    for (const { rule, phrase } of fired) {
      if (sarcasm && rule.role === 'thanks') continue;
      // «Согласна, у нас тоже нет воды», «ребят, нет света?»: residents talking about a real problem.
      if (problem && rule.role === 'chatter') continue;
      logit += rule.weight;
      reasons.push({ weight: Math.abs(rule.weight), text: `${rule.label}: «${phrase}»` });
    }
    if (negated.length > 0) {
      logit += config.negatedServices.weight;
      reasons.push({
        weight: Math.abs(config.negatedServices.weight),
        text: `${config.negatedServices.label}: «${negated.slice(0, REASON_WORDS).join('», «')}»`,
      });
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
    const { topic: topicIfAppeal, problem: problemIfAppeal } =
      isAppeal || options.alwaysTopic ? this.topicAndProblem(tokens, features, reasons, isAppeal) : { topic: 'other' as const, problem: null };
    const urgent = isAppeal ? this.urgency.match(tokens) : [];
    if (urgent.length > 0)
      reasons.push({
        weight: 0,
        text: `${config.urgency.label}: «${urgent
          .map((u) => u.phrase)
          .slice(0, REASON_WORDS)
          .join('», «')}»`,
      });
    const place = isAppeal ? this.places.find(normalized.original, context) : null;
    if (language !== 'rus') reasons.push({ weight: 0, text: `язык: ${language}` });

    const detection: Detection = {
      isAppeal,
      kind,
      score: round(score),
      verdict,
      topic: isAppeal ? topicIfAppeal : null,
      problem: isAppeal ? problemIfAppeal : null,
      urgency: urgent.length > 0 ? 'emergency' : 'normal',
      statesProblem: problem,
      language,
      place,
      reasons: reasons.sort((a, b) => b.weight - a.weight).map((r) => r.text),
    };
    return { detection, topicIfAppeal, problemIfAppeal, modelLogit };
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

  /**
   * The topic: the topic head's log-probabilities (trusted less for short texts) and the topics'
   * words. Then the problem, only among the
   * chosen topic's problems: the problem head's share within the topic when it reaches
   * `problems.threshold`, else the one problem whose words the text names (problems without
   * training data — lifts, mobile coverage — are found only so), else none.
   */
  private topicAndProblem(
    tokens: Token[],
    features: FeatureVector,
    reasons: { weight: number; text: string }[],
    explain: boolean,
  ): { topic: TopicId; problem: ProblemId | null } {
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
    const topicProbabilities = softmax(this.model.topic.logits(features));
    for (const [id, k] of this.topicClassIndex) {
      if (scores.has(id) && modelled.has(id)) scores.set(id, Math.max(trust * Math.log(topicProbabilities[k]!), floor));
    }
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
    const problem = this.problemUnder(best, tokens, features, reasons, explain);
    if (explain) {
      const label = config.topics[best]?.label ?? best;
      const hits = words.get(best);
      reasons.push({ weight: 0.5, text: hits ? `тема «${label}»: ${hits.slice(0, REASON_WORDS).join(', ')}` : `тема «${label}» (модель)` });
    }
    return { topic: best, problem };
  }

  private problemUnder(
    topic: TopicId,
    tokens: Token[],
    features: FeatureVector,
    reasons: { weight: number; text: string }[],
    explain: boolean,
  ): ProblemId | null {
    const { config } = this.deps;
    if (this.problems.problems.length === 0) return null;
    const named = this.namedProblems(topic, tokens);
    // A problem the model never learnt (no training rows: lifts, mobile coverage) can only be found by its words; when
    // the text names it, the model's pick among the problems it knows is no evidence against it.
    const unlearnt = named.filter(([id]) => !this.learntProblems.has(id));
    if (unlearnt.length === 1) return this.explainProblem(unlearnt[0]![0], unlearnt[0]![1].slice(0, REASON_WORDS).join(', '), reasons, explain);
    // The text names exactly one of the topic's problems: its words are more telling than the model's spread over similar
    // problems (an ambulance that took two hours is «Скорая помощь», not «плохая медицинская помощь»).
    if (named.length === 1) return this.explainProblem(named[0]![0], named[0]![1].slice(0, REASON_WORDS).join(', '), reasons, explain);
    // Only the chosen topic's classes are scored: the problem's share within its topic is all that is asked, and it is a
    // few classes out of fifty.
    const classes = this.problemClassesOf.get(topic);
    if (this.model.problem && classes) {
      const shares = softmax(this.model.problem.logitsOf(features, classes));
      let best = 0;
      for (let j = 1; j < shares.length; j++) if (shares[j]! > shares[best]!) best = j;
      if (shares[best]! >= config.problems.threshold) {
        return this.explainProblem(this.model.problem.classes[classes[best]!]! as ProblemId, `модель: ${shares[best]!.toFixed(2)}`, reasons, explain);
      }
    }
    // Two problems named equally often is a doubt, and a doubtful problem is left unnamed.
    if (named.length === 0 || (named.length > 1 && named[1]![1].length === named[0]![1].length)) return null;
    return this.explainProblem(named[0]![0], named[0]![1].slice(0, REASON_WORDS).join(', '), reasons, explain);
  }

  /** The problems of `topic` whose words the text names, most named first. */
  private namedProblems(topic: TopicId, tokens: Token[]): [ProblemId, string[]][] {
    const named = new Map<ProblemId, string[]>();
    for (const hit of this.problemWords.match(tokens)) {
      if (this.problems.get(hit.tag)?.topic !== topic) continue;
      const seen = named.get(hit.tag);
      if (seen) seen.push(hit.phrase);
      else named.set(hit.tag, [hit.phrase]);
    }
    return [...named].sort((a, b) => b[1].length - a[1].length);
  }

  private explainProblem(id: ProblemId, why: string, reasons: { weight: number; text: string }[], explain: boolean): ProblemId {
    if (explain) reasons.push({ weight: 0.4, text: `проблема «${this.problems.label(id)}» (${why})` });
    return id;
  }
}

function nothing(language: string): Detection {
  return {
    isAppeal: false,
    kind: 'none',
    score: 0,
    verdict: 'ignore',
    topic: null,
    problem: null,
    urgency: 'normal',
    statesProblem: false,
    language,
    place: null,
    reasons: [],
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round = (x: number): number => Math.round(x * 1000) / 1000;
