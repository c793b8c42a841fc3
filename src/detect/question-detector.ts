/**
 * Questions: a message that asks the authorities for information («Подскажите расписание автобуса
 * №3», «До скольки работает МФЦ?») rather than telling them something is wrong. A small pure step
 * after the complaint detector: it wraps any Detector and turns a message that is not a confident
 * complaint into kind 'question' when its words ask for information. Questions to the other people
 * in a chat («Ребят, кто знает хорошего сантехника?») are not questions to the authorities.
 */
import type { DetectContext, Detection, Detector } from '../domain/detection.js';

/** Words that ask someone for information. */
const ASKING =
  /(?:^|[^\p{L}])(подскажите|не подскажете|скажите|расскажите|уточните|проконсультируйте|интересует|хочу узнать|хотела? бы узнать|хотим узнать)(?![\p{L}])/u;

/** What a request for information is about: where, how, when, what hours, which documents. */
const INFORMATION =
  /(?:^|[^\p{L}])(где (?:можно|найти|узнать|получить|взять|посмотреть|оформить|записаться|находится)|как (?:узнать|получить|записаться|оформить|попасть|добраться|подать|оплатить|передать|сдать)|куда (?:обращаться|обратиться|звонить|писать|сдать|идти|подать)|до скольки|во сколько|с какого (?:числа|времени)|когда (?:будет|будут|начн|откро|заработа|можно|выда|при[её]м)|как(?:ой|ие|ая) (?:график|режим|телефон|номер|адрес|документы|срок)|расписани|режим работы|часы работы|график работы|часы при[её]ма|есть ли|можно ли|нужно ли|надо ли|сколько стоит|работает ли|положен)/u;

/** Addressed to the people of the chat, not to the authorities. */
const PEERS = /(?:^|[^\p{L}])(ребят|ребята|народ|соседи|кто-нибудь|кто нибудь|кто-то знает|кто знает|кто в курсе|посоветуйте|девочки|друзья)(?![\p{L}])/u;

/** Longest text read as a question. */
const QUESTION_MAX_LENGTH = 1_000;

function normal(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/** The words that make `text` a question to the authorities, or null. */
export function questionWords(text: string): string[] | null {
  const t = normal(text);
  if (PEERS.test(t)) return null;
  const asking = ASKING.exec(t)?.[1];
  const information = INFORMATION.exec(t)?.[1];
  const asked = t.includes('?');
  if (information && (asked || asking)) return asking ? [asking, information] : [information];
  if (asking && asked) return [asking];
  return null;
}

/** The detection of a question: the detector's facts kept, kind 'question', a confident verdict, the words that made it one first among the reasons. */
export function asQuestion(detection: Detection, words: string[]): Detection {
  return {
    ...detection,
    isAppeal: true,
    kind: 'question',
    verdict: 'reply',
    score: Math.max(detection.score, 0.9),
    reasons: [`вопрос: «${words.join('», «')}»`, ...detection.reasons],
  };
}

/**
 * The question step on a detection of `text`: a confident complaint stays a complaint; anything
 * else that asks for information becomes a question.
 */
export function withQuestion(detection: Detection, text: string): Detection {
  if (detection.kind === 'complaint' && detection.verdict === 'reply') return detection;
  // A question is a short message; a long text that asks something on the way is judged by the detector alone.
  const words = typeof text === 'string' && text.length <= QUESTION_MAX_LENGTH ? questionWords(text) : null;
  return words ? asQuestion(detection, words) : detection;
}

/** Wraps a detector with {@link withQuestion}. */
export class QuestionDetector implements Detector {
  constructor(private readonly inner: Detector) {}

  detect(text: string, context?: DetectContext): Detection {
    return withQuestion(this.inner.detect(text, context), text);
  }
}
